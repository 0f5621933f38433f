using Gateway.Fhir.Search.Index;
using Hl7.Fhir.Model;

namespace Gateway.Fhir.Storage;

/// <summary>
/// The search index rows of a version this transaction wrote, extracted when first asked for. A
/// chunk's deferred Task versions are indexed only at their newest version, and their guarded
/// references are read only from a resource's last version that has any, so an intermediate
/// step's rows (a Task moved requested → accepted → in-progress) were made and thrown away
/// (issue 18, twelfth pass). The resource is the written instance, which no writer changes once
/// written (see <c>HeldWritten</c>), so the rows are those it had when written.
/// </summary>
internal sealed class VersionRows
{
    private readonly Resource? _resource;
    private IndexRows? _rows;

    public VersionRows(Resource resource) => _resource = resource;

    public VersionRows(IndexRows rows) => _rows = rows;

    public IndexRows Rows => _rows ??= SearchIndexer.Extract(_resource!);
}
