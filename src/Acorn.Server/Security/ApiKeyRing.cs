using System.Security.Cryptography;
using System.Text;

namespace Acorn.Server.Security;

/// <summary>The API keys the server accepts, held as SHA-256 hashes and checked in constant time.</summary>
internal sealed class ApiKeyRing
{
    private readonly IReadOnlyList<(byte[] Hash, ApiKeyRole Role)> _keys;

    public ApiKeyRing(IEnumerable<(byte[] Hash, ApiKeyRole Role)> keys)
    {
        _keys = [.. keys];
        if (_keys.Count == 0)
        {
            throw new ArgumentException("An API key ring needs at least one key.", nameof(keys));
        }
    }

    public int Count => _keys.Count;

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Finds the role of a presented key.</summary>
    /// <remarks>
    /// Every stored hash is compared, with <see cref="CryptographicOperations.FixedTimeEquals"/>, whether or not an
    /// earlier one matched, so the time taken says nothing about which key (or how much of one) was right.
    /// </remarks>
    public ApiKeyRole? Find(string presented)
    {
        var hash = Hash(presented);
        ApiKeyRole? found = null;
        foreach (var (stored, role) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, stored))
            {
                found ??= role;
            }
        }

        return found;
    }
}
