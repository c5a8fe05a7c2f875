using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Acorn.Analyzers.Options;

/// <summary>A comma separated list of type names read from <c>.editorconfig</c>, matched by simple or full name.</summary>
internal sealed class TypeNameList
{
    public static readonly TypeNameList Empty = new(ImmutableHashSet<string>.Empty);

    // Every operation block of a file asks for the same one or two option strings: parse each once.
    private static readonly ConcurrentDictionary<string, TypeNameList> Parsed = new(StringComparer.Ordinal);

    private static readonly char[] Separators = { ',', ';' };

    private readonly ImmutableHashSet<string> _names;

    private TypeNameList(ImmutableHashSet<string> names) => _names = names;

    public bool IsEmpty => _names.IsEmpty;

    public static TypeNameList Read(AnalyzerOptions options, SyntaxTree tree, string key)
    {
        if (!options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(key, out var value)
            && !options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(key, out value))
        {
            return Empty;
        }

        return Parsed.GetOrAdd(value, static text =>
        {
            var builder = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
            foreach (var part in text.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
            {
                var name = part.Trim();
                if (name.Length > 0)
                {
                    builder.Add(name.StartsWith("global::", StringComparison.Ordinal) ? name.Substring(8) : name);
                }
            }

            return new TypeNameList(builder.ToImmutable());
        });
    }

    /// <summary>True when the type's simple name, full name or full metadata name (with arity) is listed.</summary>
    public bool Contains(ITypeSymbol type)
    {
        if (_names.IsEmpty)
        {
            return false;
        }

        var definition = type.OriginalDefinition;
        if (_names.Contains(definition.Name))
        {
            return true;
        }

        var ns = definition.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() + "." : string.Empty;
        return _names.Contains(ns + definition.Name) || _names.Contains(ns + definition.MetadataName);
    }
}
