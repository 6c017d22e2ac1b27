// One platform for the whole assembly; the tests share its sign-in throttles, so they run one at a time.
[assembly: AssemblyFixture(typeof(AuthPlatform.Cli.Tests.CliPlatform))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
