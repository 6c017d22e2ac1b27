using Microsoft.Extensions.Options;

namespace AuthPlatform.Account.Passwords;

/// <summary>
/// A password hash costs a core for a noticeable time, so hashing runs behind a bounded queue: one hash per core at
/// once (or <see cref="PasswordHashingOptions.MaxConcurrent"/>) and <see cref="PasswordHashingOptions.MaxQueued"/> waiting. Anything beyond that is refused immediately
/// (<see cref="PasswordHashingBusyException"/>, answered 503 with Retry-After) instead of piling up until every
/// request of the service times out.
/// </summary>
public sealed class PasswordHashingGate
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private int _admitted;

    private readonly AccountMetrics _metrics;

    public PasswordHashingGate(IOptions<PasswordHashingOptions> options, AccountMetrics metrics)
    {
        _metrics = metrics;
        var slots = options.Value.MaxConcurrent > 0 ? options.Value.MaxConcurrent : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(slots, slots);
        _capacity = slots + options.Value.MaxQueued;
    }

    public async Task<T> RunAsync<T>(Func<T> hashing, CancellationToken cancellationToken)
    {
        Admit();
        try
        {
            await _slots.WaitAsync(cancellationToken);
            try
            {
                return hashing();
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    private void Admit()
    {
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            _metrics.PasswordHashingRefused();
            throw new PasswordHashingBusyException(RetryAfter);
        }
    }
}

public sealed class PasswordHashingBusyException(TimeSpan retryAfter)
    : Exception("Every password-hashing slot is taken.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
