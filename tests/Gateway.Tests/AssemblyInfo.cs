// One platform for the whole assembly; tests stop and restart parts of it, so they run one at a time.
[assembly: AssemblyFixture(typeof(AuthPlatform.Gateway.Tests.GatewayPlatform))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
