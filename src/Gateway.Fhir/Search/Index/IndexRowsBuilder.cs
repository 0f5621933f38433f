namespace Gateway.Fhir.Search.Index;

/// <summary>Collects rows for one resource, dropping duplicates while keeping first-seen order.</summary>
internal sealed class IndexRowsBuilder
{
    private readonly IndexRows _rows = new();
    private readonly HashSet<TokenIndexRow> _tokens = [];
    private readonly HashSet<StringIndexRow> _strings = [];
    private readonly HashSet<DateIndexRow> _dates = [];
    private readonly HashSet<ReferenceIndexRow> _references = [];

    public void Add(TokenIndexRow row)
    {
        if (_tokens.Add(row))
        {
            _rows.Tokens.Add(row);
        }
    }

    public void Add(StringIndexRow row)
    {
        if (_strings.Add(row))
        {
            _rows.Strings.Add(row);
        }
    }

    public void Add(DateIndexRow row)
    {
        if (_dates.Add(row))
        {
            _rows.Dates.Add(row);
        }
    }

    public void Add(ReferenceIndexRow row)
    {
        if (_references.Add(row))
        {
            _rows.References.Add(row);
        }
    }

    public void Add(PositionIndexRow row)
    {
        if (!_rows.Positions.Contains(row))
        {
            _rows.Positions.Add(row);
        }
    }

    public IndexRows Build() => _rows;
}
