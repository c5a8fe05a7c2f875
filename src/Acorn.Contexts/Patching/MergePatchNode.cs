using System.Text;
using System.Text.Json;

namespace Acorn.Contexts.Patching;

/// <summary>
/// A JSON Merge Patch (RFC 7396), read once into a tree that is cheap to apply many times: an object's members by name
/// (<see langword="null"/> ones remove), or any other value, which replaces the target whole.
/// </summary>
internal sealed class MergePatchNode
{
    // Above this many members a lookup by name beats comparing each target member's name with each of the patch's.
    private const int LinearLookupLimit = 8;

    private readonly JsonElement _value;
    private readonly Member[]? _members;
    private readonly Dictionary<string, int>? _indexByName;

    private MergePatchNode(JsonElement value, Member[]? members, Dictionary<string, int>? indexByName)
    {
        _value = value;
        _members = members;
        _indexByName = indexByName;
    }

    /// <summary>Reads a merge patch document (parsed with each member named once).</summary>
    public static MergePatchNode From(JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return new MergePatchNode(patch, null, null);
        }

        var members = new List<Member>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in patch.EnumerateObject())
        {
            var member = new Member(
                property.Name,
                Encoding.UTF8.GetBytes(property.Name),
                JsonEncodedText.Encode(property.Name),
                property.Value.ValueKind == JsonValueKind.Null ? null : From(property.Value));
            positions.Add(member.Name, members.Count);
            members.Add(member);
        }

        return new MergePatchNode(patch, [.. members], members.Count > LinearLookupLimit ? positions : null);
    }

    /// <summary>Writes the patched <paramref name="target"/> (undefined: there was none) to <paramref name="writer"/>.</summary>
    public void WriteMerged(Utf8JsonWriter writer, JsonElement target)
    {
        if (_members is null)
        {
            _value.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        Span<bool> merged = _members.Length <= 64 ? stackalloc bool[_members.Length] : new bool[_members.Length];
        if (target.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in target.EnumerateObject())
            {
                var index = IndexOf(property);
                if (index < 0)
                {
                    property.WriteTo(writer);
                    continue;
                }

                merged[index] = true;
                WriteMember(writer, _members[index], property.Value);
            }
        }

        for (var i = 0; i < _members.Length; i++)
        {
            if (!merged[i])
            {
                WriteMember(writer, _members[i], default);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteMember(Utf8JsonWriter writer, Member member, JsonElement target)
    {
        if (member.Patch is null)
        {
            return;
        }

        writer.WritePropertyName(member.EncodedName);
        member.Patch.WriteMerged(writer, target);
    }

    private int IndexOf(JsonProperty property)
    {
        if (_indexByName is not null)
        {
            return _indexByName.TryGetValue(property.Name, out var index) ? index : -1;
        }

        for (var i = 0; i < _members!.Length; i++)
        {
            if (property.NameEquals(_members[i].Utf8Name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A member of an object patch; a <see langword="null"/> <paramref name="Patch"/> removes it.</summary>
    private readonly record struct Member(string Name, byte[] Utf8Name, JsonEncodedText EncodedName, MergePatchNode? Patch);
}
