// One platform for the whole assembly; each test breaks a part of it under load, so they run one at a time.
[assembly: AssemblyFixture(typeof(AuthPlatform.Faults.Tests.FaultsPlatform))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
