// One platform and one Chromium for the whole assembly; each test gets a fresh browser context (its own cookies).
[assembly: AssemblyFixture(typeof(AuthPlatform.Portal.Tests.PortalPlatform))]
[assembly: AssemblyFixture(typeof(AuthPlatform.Portal.Tests.BrowserFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
