using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthPlatform.Cli;

/// <summary>What <c>login</c> stores: the gateway, the current access token and how to get the next one.</summary>
public sealed class Credentials
{
    public required string Gateway { get; set; }

    public required string AccessToken { get; set; }

    public DateTimeOffset AccessTokenExpiresAt { get; set; }

    /// <summary>Set after a password (and two-factor) sign-in; rotated on every refresh.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>Set after <c>login --access-key</c>, with <see cref="Secret"/>: a fresh token is asked for when one expires.</summary>
    public string? AccessKeyId { get; set; }

    public string? Secret { get; set; }

    [JsonIgnore]
    public bool UsesAccessKey => AccessKeyId is not null && Secret is not null;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Credentials))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class CredentialsJson : JsonSerializerContext;

/// <summary>
/// <c>$XDG_CONFIG_HOME/authplatform/credentials.json</c> (else <c>~/.config/authplatform/credentials.json</c>): the
/// directory is 0700 and the file 0600 from the moment it exists (written to a private temporary file, then renamed).
/// </summary>
public sealed class CredentialStore
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public CredentialStore(string directory)
    {
        Directory = directory;
        FilePath = Path.Combine(directory, "credentials.json");
        DeviceTokensPath = Path.Combine(directory, "device-tokens.json");
    }

    public string Directory { get; }

    public string FilePath { get; }

    /// <summary>
    /// One device token per (gateway, email): proof that this device signed in before, so guesses by others do not
    /// lock it out. Kept across <c>logout</c> (it grants nothing by itself), 0600 like the credentials.
    /// </summary>
    public string DeviceTokensPath { get; }

    public static CredentialStore Default()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        string configHome;
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
        {
            configHome = xdg;
        }
        else
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }
            if (string.IsNullOrEmpty(home))
            {
                throw new CliException("cannot tell where to keep credentials: set HOME or XDG_CONFIG_HOME");
            }
            configHome = Path.Combine(home, ".config");
        }
        return new CredentialStore(Path.Combine(configHome, "authplatform"));
    }

    /// <summary>The stored credentials, or null when there are none.</summary>
    public Credentials? Load()
    {
        string json;
        try
        {
            if (!File.Exists(FilePath))
            {
                return null;
            }
            json = File.ReadAllText(FilePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {FilePath} ({ex.Message})");
        }
        try
        {
            var credentials = JsonSerializer.Deserialize(json, CredentialsJson.Default.Credentials);
            return credentials is { Gateway.Length: > 0, AccessToken.Length: > 0 }
                ? credentials
                : throw new JsonException("gateway and accessToken are required");
        }
        catch (JsonException)
        {
            throw new CliException($"the credentials file {FilePath} is damaged; run `authplatform login`");
        }
    }

    public void Save(Credentials credentials) =>
        WritePrivate(FilePath, JsonSerializer.Serialize(credentials, CredentialsJson.Default.Credentials));

    /// <summary>The device token for this account at this gateway, if this device has one; a damaged file is ignored.</summary>
    public string? LoadDeviceToken(string gateway, string email)
    {
        try
        {
            return ReadDeviceTokens().GetValueOrDefault(DeviceKey(gateway, email));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public void SaveDeviceToken(string gateway, string email, string deviceToken)
    {
        Dictionary<string, string> tokens;
        try
        {
            tokens = ReadDeviceTokens();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            tokens = [];
        }
        tokens[DeviceKey(gateway, email)] = deviceToken;
        WritePrivate(DeviceTokensPath, JsonSerializer.Serialize(tokens, CredentialsJson.Default.DictionaryStringString));
    }

    private Dictionary<string, string> ReadDeviceTokens() =>
        File.Exists(DeviceTokensPath)
            ? JsonSerializer.Deserialize(File.ReadAllText(DeviceTokensPath), CredentialsJson.Default.DictionaryStringString) ?? []
            : [];

    private static string DeviceKey(string gateway, string email) => $"{gateway.TrimEnd('/')} {email.Trim().ToLowerInvariant()}";

    private void WritePrivate(string path, string json)
    {
        var temporary = Path.Combine(Directory, $".{Path.GetFileNameWithoutExtension(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            EnsurePrivateDirectory();
            using (var stream = new FileStream(temporary, PrivateCreate(FileMode.CreateNew, FileAccess.Write)))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(json);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new CliException($"cannot write {path} ({ex.Message})");
        }
    }

    /// <summary>Deletes the stored credentials; false when there were none.</summary>
    public bool Delete()
    {
        try
        {
            if (!File.Exists(FilePath))
            {
                return false;
            }
            File.Delete(FilePath);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot delete {FilePath} ({ex.Message})");
        }
    }

    /// <summary>
    /// An exclusive lock around read-refresh-write, so that two commands started together never both present the
    /// same refresh token (presenting a spent one revokes the whole session).
    /// </summary>
    public async Task<IDisposable> LockAsync()
    {
        var path = Path.Combine(Directory, "credentials.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        try
        {
            EnsurePrivateDirectory();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot create {Directory} ({ex.Message})");
        }
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix.
                var options = PrivateCreate(FileMode.OpenOrCreate, FileAccess.ReadWrite);
                options.Share = FileShare.None;
                return new FileStream(path, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot lock {path} ({ex.Message}); is another authplatform command stuck?");
            }
        }
    }

    private void EnsurePrivateDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
            return;
        }
        if (!System.IO.Directory.Exists(Directory))
        {
            // Created 0700 (parents too, as XDG asks for the config home), never briefly wider.
            System.IO.Directory.CreateDirectory(Directory, PrivateDirectory);
        }
        if (File.GetUnixFileMode(Directory) != PrivateDirectory)
        {
            File.SetUnixFileMode(Directory, PrivateDirectory);
        }
    }

    private static FileStreamOptions PrivateCreate(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }
        return options;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
