using Hl7.Fhir.Model;

namespace IntegrationHub.Adapters.Health;

/// <summary>A resource of the bundle with the FHIRPath of where it sits.</summary>
internal sealed record BundleEntry(Resource Resource, int Index)
{
    public string Path => $"Bundle.entry[{Index}].resource";
}

/// <summary>Resolves references inside a bundle, by <c>fullUrl</c> (urn:uuid or absolute) and by <c>Type/id</c>.</summary>
internal sealed class BundleIndex
{
    private readonly Dictionary<string, BundleEntry> _byKey = new(StringComparer.Ordinal);

    public BundleIndex(Bundle bundle)
    {
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            if (entry.Resource is not { } resource)
            {
                continue;
            }

            var found = new BundleEntry(resource, i);
            Entries.Add(found);
            if (!string.IsNullOrEmpty(entry.FullUrl))
            {
                _byKey.TryAdd(entry.FullUrl, found);
                if (RelativeOf(entry.FullUrl) is { } relative)
                {
                    _byKey.TryAdd(relative, found);
                }
            }

            if (!string.IsNullOrEmpty(resource.Id))
            {
                _byKey.TryAdd($"{resource.TypeName}/{resource.Id}", found);
            }
        }
    }

    /// <summary>Entries that carry a resource, in bundle order.</summary>
    public List<BundleEntry> Entries { get; } = [];

    public IEnumerable<(T Resource, BundleEntry Entry)> OfType<T>() where T : Resource =>
        Entries.Where(e => e.Resource is T).Select(e => ((T)e.Resource, e));

    /// <summary>The entry a reference points at, or null when it is absent or points outside the bundle.</summary>
    public BundleEntry? Resolve(ResourceReference? reference)
    {
        var target = reference?.Reference;
        if (string.IsNullOrWhiteSpace(target))
        {
            return null;
        }

        if (_byKey.TryGetValue(target, out var found))
        {
            return found;
        }

        return RelativeOf(target) is { } relative && _byKey.TryGetValue(relative, out found) ? found : null;
    }

    /// <summary><c>https://server/fhir/Patient/123/_history/2</c> becomes <c>Patient/123</c>; a urn or a bare id gives null.</summary>
    private static string? RelativeOf(string url)
    {
        if (url.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var parts = url.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var history = Array.IndexOf(parts, "_history");
        if (history >= 0)
        {
            parts = parts[..history];
        }

        return parts.Length >= 2 && char.IsUpper(parts[^2][0]) ? $"{parts[^2]}/{parts[^1]}" : null;
    }
}
