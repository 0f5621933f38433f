namespace Gateway.Testing;

/// <summary>A clock a test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    /// <summary>Moves to the real time if behind it (never back): a slow start must not leave the gateway's clock behind the clients' signed assertions.</summary>
    public void CatchUp()
    {
        var real = TimeProvider.System.GetUtcNow();
        if (real > _now)
        {
            _now = real;
        }
    }
}
