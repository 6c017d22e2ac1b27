using System.Text;

namespace AuthPlatform.Cli;

/// <summary>Prompts and output. Prompts go to stdout so that stderr holds nothing but the one error line.</summary>
public static class Terminal
{
    /// <summary>Reads one line after <paramref name="prompt"/>; null at the end of input.</summary>
    public static string? Prompt(string prompt)
    {
        Console.Out.Write(prompt);
        Console.Out.Flush();
        var line = Console.In.ReadLine();
        if (Console.IsInputRedirected)
        {
            // Nothing was echoed: end the prompt's line ourselves.
            Console.Out.WriteLine();
        }
        return line;
    }

    /// <summary>
    /// Reads a password or secret. On a terminal nothing is echoed (a key-by-key loop with Backspace and Ctrl-U);
    /// from redirected input it is one line. Null at the end of input.
    /// </summary>
    public static string? PromptSecret(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return Prompt(prompt);
        }
        Console.Out.Write(prompt);
        Console.Out.Flush();
        var secret = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            var control = (key.Modifiers & ConsoleModifiers.Control) != 0;
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Out.WriteLine();
                return secret.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length -= secret.Length > 1 && char.IsLowSurrogate(secret[^1]) ? 2 : 1;
                }
                continue;
            }
            if (control && key.Key == ConsoleKey.U)
            {
                secret.Clear();
                continue;
            }
            if (control && key.Key == ConsoleKey.D && secret.Length == 0)
            {
                Console.Out.WriteLine();
                return null;
            }
            if (key.KeyChar != '\0' && !char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
    }

    /// <summary>Text from the server or the user, safe to print on one terminal line (no control characters).</summary>
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var safe = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            safe.Append(c is '\r' or '\n' or '\t' ? ' ' : char.IsControl(c) ? '?' : c);
        }
        return safe.ToString().Trim();
    }

    public static void Error(string message) => Console.Error.WriteLine("error: " + Safe(message));
}
