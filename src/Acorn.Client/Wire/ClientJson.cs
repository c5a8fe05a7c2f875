using System.Text.Json;
using System.Text.Json.Serialization;

namespace Acorn.Client.Wire;

/// <summary>
/// What the client reads from the server, generated at build time: web names (camelCase), enums as strings, and
/// nesting as deep as any data limit the server allows (1,000 levels, plus the body around the data).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, MaxDepth = 1_024)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(StateBody))]
[JsonSerializable(typeof(PageBody))]
[JsonSerializable(typeof(RecoveryPointBody))]
[JsonSerializable(typeof(ItemsBody<RecoveryPointBody>))]
[JsonSerializable(typeof(ChangeEventBody))]
[JsonSerializable(typeof(AcornPlugin))]
[JsonSerializable(typeof(ItemsBody<AcornPlugin>))]
internal sealed partial class ClientJson : JsonSerializerContext;
