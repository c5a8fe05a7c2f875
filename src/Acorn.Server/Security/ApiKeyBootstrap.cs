using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Acorn.Server.Security;

/// <summary>Builds the key ring at start: configured keys, <c>ACORN_API_KEY</c>, or a key made on first start.</summary>
/// <remarks>
/// A made key is written once to <see cref="KeyFileName"/> in the data folder (mode 600, readable only by the user);
/// only its hash is kept in <see cref="HashFileName"/>, which later starts read. The log names the file, never the key.
/// </remarks>
internal static partial class ApiKeyBootstrap
{
    public const string EnvironmentVariable = "ACORN_API_KEY";
    public const string KeyFileName = "api-key.txt";
    public const string HashFileName = "api-keys.json";

    public static ApiKeyRing CreateRing(AcornServerOptions options, string dataPath, string? environmentKey, ILogger logger)
    {
        var keys = options.ApiKeys.Select((k, i) => (FromOptions(k, i), k.Role)).ToList();
        if (!string.IsNullOrEmpty(environmentKey))
        {
            keys.Add((ApiKeyRing.Hash(environmentKey), ApiKeyRole.Admin));
        }

        if (keys.Count > 0)
        {
            Log.Configured(logger, keys.Count);
            return new ApiKeyRing(keys);
        }

        var hashFile = Path.Combine(dataPath, HashFileName);
        var keyFile = Path.Combine(dataPath, KeyFileName);
        if (File.Exists(hashFile))
        {
            Log.Stored(logger, hashFile, keyFile);
            return new ApiKeyRing(ReadHashes(hashFile));
        }

        var key = Generate();
        WriteOwnerOnly(keyFile, key + Environment.NewLine);
        var stored = new StoredKeys([new StoredKey(Convert.ToHexString(ApiKeyRing.Hash(key)), ApiKeyRole.Admin, DateTimeOffset.UtcNow)]);
        File.WriteAllText(hashFile, JsonSerializer.Serialize(stored, ServerJson.Options));
        Log.Generated(logger, keyFile);
        return new ApiKeyRing(ReadHashes(hashFile));
    }

    private static string Generate() => "acorn_" + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromOptions(ApiKeyOptions key, int index)
    {
        if (!string.IsNullOrEmpty(key.Key) && !string.IsNullOrEmpty(key.Sha256))
        {
            throw new InvalidOperationException($"{AcornServerOptions.SectionName}:ApiKeys:{index} gives both Key and Sha256; give one.");
        }

        if (!string.IsNullOrEmpty(key.Key))
        {
            return ApiKeyRing.Hash(key.Key);
        }

        return ParseSha256(key.Sha256, $"{AcornServerOptions.SectionName}:ApiKeys:{index}");
    }

    private static byte[] ParseSha256(string? hex, string where)
    {
        try
        {
            var hash = Convert.FromHexString(hex ?? "");
            if (hash.Length == SHA256.HashSizeInBytes)
            {
                return hash;
            }
        }
        catch (FormatException)
        {
            // Reported below with the place it came from.
        }

        throw new InvalidOperationException($"{where} needs a Key, or a Sha256 of 64 hexadecimal digits.");
    }

    private static IEnumerable<(byte[] Hash, ApiKeyRole Role)> ReadHashes(string hashFile)
    {
        var stored = JsonSerializer.Deserialize<StoredKeys>(File.ReadAllText(hashFile), ServerJson.Options);
        if (stored is null || stored.Keys.Count == 0)
        {
            throw new InvalidOperationException($"{hashFile} holds no API key; delete it to have a new key made, or configure one.");
        }

        return stored.Keys.Select((k, i) => (ParseSha256(k.Sha256, $"{hashFile} key {i}"), k.Role));
    }

    private static void WriteOwnerOnly(string path, string contents)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(contents);
    }

    private sealed record StoredKeys(IReadOnlyList<StoredKey> Keys);

    private sealed record StoredKey(string Sha256, ApiKeyRole Role, DateTimeOffset CreatedAt);

    /// <summary>Log messages of API key set-up: event ids 4000-4009.</summary>
    private static partial class Log
    {
        [LoggerMessage(4000, LogLevel.Information, "Using {Count} API key(s) from configuration")]
        public static partial void Configured(ILogger logger, int count);

        [LoggerMessage(4001, LogLevel.Information, "Using the API key made on first start: its hash is in {HashFile}, the key was written to {KeyFile}")]
        public static partial void Stored(ILogger logger, string hashFile, string keyFile);

        [LoggerMessage(4002, LogLevel.Warning, "No API key was configured, so one was made: it is in {KeyFile} (readable only by you). Send it as 'Authorization: Bearer <key>'")]
        public static partial void Generated(ILogger logger, string keyFile);
    }
}
