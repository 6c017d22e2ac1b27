using System.Globalization;
using System.Runtime.InteropServices;

namespace AuthPlatform.Bench;

public static class Report
{
    /// <summary>The command as typed (near enough to paste again), the date and the machine.</summary>
    public static void PrintHeader(TextWriter output)
    {
        var command = string.Join(' ', CommandLine().Select(Quote));
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        output.WriteLine($"Command:  {command}");
        output.WriteLine($"Date:     {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
        output.WriteLine($"Machine:  {Environment.ProcessorCount} logical cores, {memoryGiB:0.0} GiB, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}), {RuntimeInformation.FrameworkDescription}");
        output.WriteLine();
    }

    public static void PrintTable(TextWriter output, string flow, IReadOnlyList<PhaseResult> rows)
    {
        string[] header = ["flow", "concurrency", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms"];
        var cells = rows.Select(r => new[]
        {
            flow,
            r.Concurrency.ToString(CultureInfo.InvariantCulture),
            r.Requests.ToString(CultureInfo.InvariantCulture),
            r.ErrorCount == 0 ? "0" : $"{r.ErrorCount} ({string.Join(", ", r.Errors.Select(e => $"{e.Key}: {e.Value}"))})",
            Number(r.Throughput),
            Number(r.Percentile(50)),
            Number(r.Percentile(95)),
            Number(r.Percentile(99)),
            Number(r.Percentile(100)),
        }).ToList();
        var widths = header.Select((h, i) => cells.Select(c => c[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] row) => string.Join("  ", row.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        output.WriteLine(Line(widths.Select(w => new string('-', w)).ToArray()));
        foreach (var row in cells)
        {
            output.WriteLine(Line(row));
        }
    }

    /// <summary>The measured rows as JSON: one object per concurrency level, latencies in ms, the window in UTC.</summary>
    public static async Task WriteJsonAsync(string path, string flow, IReadOnlyList<PhaseResult> rows, IReadOnlyList<string> notes)
    {
        var document = new
        {
            flow,
            rows = rows.Select(r => new
            {
                concurrency = r.Concurrency,
                requests = r.Requests,
                errors = r.ErrorCount,
                errorsByKind = r.Errors,
                seconds = Math.Round(r.Elapsed.TotalSeconds, 3),
                throughput = Math.Round(r.Throughput, 1),
                p50 = Math.Round(r.Percentile(50), 2),
                p95 = Math.Round(r.Percentile(95), 2),
                p99 = Math.Round(r.Percentile(99), 2),
                max = Math.Round(r.Percentile(100), 2),
                start = r.Start.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                end = r.End.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            }),
            notes,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await System.Text.Json.JsonSerializer.SerializeAsync(file, document, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>argv exactly as typed where Linux tells it; otherwise .NET's view (the .dll's full path).</summary>
    private static string[] CommandLine()
    {
        try
        {
            var argv = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');
            if (argv.Length > 0 && argv[0].Length > 0)
            {
                return argv;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "");
        return host == "dotnet" ? ["dotnet", .. Environment.GetCommandLineArgs()] : Environment.GetCommandLineArgs();
    }

    private static string Number(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Quote(string arg) => arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$') ? arg : $"'{arg.Replace("'", "'\\''")}'";
}
