using Orleans.Serialization;
using Orleans.Storage;

namespace Acorn.Orleans.Storage;

/// <summary>
/// How the <see cref="AcornOrleans.StorageName"/> provider stores Acorn's grain states: Orleans' own binary format
/// (the types carry <c>[GenerateSerializer]</c> and <c>[Id]</c>s, so it is version tolerant), reading state written
/// before in the JSON of Orleans' default storage serializer.
/// </summary>
/// <remarks>
/// Orleans' default is Newtonsoft.Json with type names: several times the bytes and the CPU for a context's state,
/// paid on every write, and the bytes again in the database's write-ahead log. A stored JSON state starts with
/// <c>{</c>; a binary one never does (its first byte is the root field's header, whose wire type is never
/// <c>Fixed32</c>, the low bits of <c>{</c>), so old rows keep working and are rewritten in binary at their next write.
/// </remarks>
/// <param name="serializer">Orleans' serializer.</param>
/// <param name="json">The serializer the state may have been written with before (the silo's default).</param>
internal sealed class AcornGrainStorageSerializer(Serializer serializer, IGrainStorageSerializer json) : IGrainStorageSerializer
{
    private readonly OrleansGrainStorageSerializer _binary = new(serializer);

    /// <inheritdoc/>
    public BinaryData Serialize<T>(T? input) => _binary.Serialize(input);

    /// <inheritdoc/>
    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bytes = input.ToMemory().Span;
        return bytes.Length > 0 && bytes[0] == (byte)'{' ? json.Deserialize<T>(input) : _binary.Deserialize<T>(input);
    }
}
