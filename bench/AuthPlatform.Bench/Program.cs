using AuthPlatform.Bench;
using AuthPlatform.Bench.Hashing;

// AuthPlatform.Bench — `signin` (or any flow in FlowCatalog.All) drives the running platform through the gateway;
// `hash` measures one password hash with BenchmarkDotNet. See docs/benchmarks.md.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(BenchOptions.Usage);
    return args.Length == 0 ? 2 : 0;
}
if (args[0] == "hash")
{
    return args.Length > 1 && args[1] == "--ceiling" ? PasswordHashBenchmark.RunCeiling(args[2..]) : PasswordHashBenchmark.Run(args[1..]);
}
if (!FlowCatalog.All.TryGetValue(args[0], out var createFlow))
{
    Console.Error.WriteLine($"Unknown flow or command '{args[0]}'.\n\n{BenchOptions.Usage}");
    return 2;
}
BenchOptions options;
try
{
    options = BenchOptions.Parse(args[1..]);
}
catch (FormatException e)
{
    Console.Error.WriteLine($"{e.Message}\n\n{BenchOptions.Usage}");
    return 2;
}

var flow = createFlow();
using var disposeFlow = flow as IDisposable;
if (options.Direct is not null && flow is not AuthPlatform.Bench.Flows.AuthenticatedReadFlow)
{
    Console.Error.WriteLine($"--direct is for read-me and read-mfa only.\n\n{BenchOptions.Usage}");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
Report.PrintHeader(Console.Out);
return await BenchRunner.RunAsync(flow, options, Console.Out, stop.Token);
