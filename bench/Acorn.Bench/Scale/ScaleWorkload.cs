using System.Globalization;
using System.Text;
using Acorn.Contexts;

namespace Acorn.Bench.Scale;

/// <summary>
/// The contexts the scale suite creates: ids <c>t{tenant}:s{i}</c> (100 tenants, as users keep <c>tenant:session</c>),
/// each about 100 bytes of data and no metadata. Ids are computed, never kept, so the bench holds nothing per context.
/// </summary>
internal sealed class ScaleWorkload(int count)
{
    public const int Tenants = 100;

    public int Count { get; } = count % Tenants == 0 ? count : throw new ArgumentException($"The count must be a multiple of {Tenants}.", nameof(count));

    private int PerTenant => Count / Tenants;

    /// <summary>The id created <paramref name="i"/>-th: tenants interleave, so creates land all over the ordered index.</summary>
    public static string Id(int i) => string.Create(CultureInfo.InvariantCulture, $"t{i % Tenants:D2}:s{i:D8}");

    /// <summary>The id at <paramref name="position"/> in ordinal order: tenant by tenant, then by number.</summary>
    public string IdAt(int position) => Id((position % PerTenant * Tenants) + (position / PerTenant));

    /// <summary>The tenant prefix of tenant <paramref name="tenant"/>.</summary>
    public static string Prefix(int tenant) => string.Create(CultureInfo.InvariantCulture, $"t{tenant:D2}:");

    /// <summary>About 100 bytes of JSON, different for every context.</summary>
    public static string Json(int i) => string.Create(
        CultureInfo.InvariantCulture, $$"""{"name":"session-{{i:D8}}","turns":{{i % 50}},"model":"small","tags":["a","b"],"note":"hello world, this is it"}""");

    public static ContextContent Content(int i) => ContextContent.Parse(Json(i));

    /// <summary>The mean UTF-8 length of the data over the whole workload (metadata is empty).</summary>
    public double MeanDataBytes => Encoding.UTF8.GetByteCount(Json(Count / 2));
}
