var builder = DistributedApplication.CreateBuilder(args);

// The services have no launchSettings.json, so make sure each has an "http" endpoint
// (a no-op when a launch profile already defines one); Aspire then sets ASPNETCORE_URLS.
IResourceBuilder<ProjectResource> AddService<TProject>(string name) where TProject : IProjectMetadata, new() =>
    builder.AddProject<TProject>(name).WithEndpoint("http", e => e.UriScheme = "http");

// --- Infrastructure -------------------------------------------------------

var postgres = builder.AddPostgres("postgres").WithDataVolume();
var accountDb = postgres.AddDatabase("accountdb");
var mfaDb = postgres.AddDatabase("mfadb");

var redis = builder.AddRedis("redis");

var eventBus = builder.AddRabbitMQ("eventbus").WithManagementPlugin();

// MailDev SMTP sink (web UI on the "http" endpoint). Tag pinned because the
// health-check path differs between MailDev 2.x (/healthz) and 3.x (/api/healthz).
var mailDev = builder.AddContainer("maildev", "maildev/maildev", "2.2.1")
    .WithEndpoint(targetPort: 1025, name: "smtp", scheme: "smtp")
    .WithHttpEndpoint(targetPort: 1080, name: "http")
    .WithHttpHealthCheck("/healthz", endpointName: "http");

// Services read ConnectionStrings__smtp = "smtp://host:port".
var smtp = builder.AddConnectionString("smtp", ReferenceExpression.Create(
    $"smtp://{mailDev.GetEndpoint("smtp").Property(EndpointProperty.HostAndPort)}"));

// --- Services ---------------------------------------------------------------

// Declared first so its endpoint can be handed to the services as PublicBaseUrl.
var gateway = AddService<Projects.Gateway>("gateway")
    .WithExternalHttpEndpoints();
var publicBaseUrl = gateway.GetEndpoint("http");

var account = AddService<Projects.Account>("account")
    .WithReference(accountDb).WaitFor(accountDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(eventBus).WaitFor(eventBus)
    .WithEnvironment("PublicBaseUrl", publicBaseUrl);

var mfa = AddService<Projects.Mfa>("mfa")
    .WithReplicas(2)
    .WithReference(mfaDb).WaitFor(mfaDb)
    .WithReference(redis).WaitFor(redis)
    .WithReference(eventBus).WaitFor(eventBus)
    .WithReference(account).WaitFor(account); // validates JWTs against account's JWKS

// account <-> mfa: Aspire allows cyclic WithReference (it only injects endpoint
// URLs, which are allocated before any process starts; the only cycle check is
// for parent relationships). A WaitFor cycle would deadlock, so only mfa waits
// for account; account calls mfa's /internal API lazily, per request.
account.WithReference(mfa);

var verification = AddService<Projects.Verification>("verification")
    .WithReference(redis).WaitFor(redis)
    .WithReference(eventBus).WaitFor(eventBus)
    .WithReference(account).WaitFor(account)
    .WithEnvironment("PublicBaseUrl", publicBaseUrl);

AddService<Projects.Notification>("notification")
    .WithReference(eventBus).WaitFor(eventBus)
    .WithReference(redis).WaitFor(redis) // one email per message id
    .WithReference(smtp).WaitFor(mailDev)
    .WithEnvironment("PublicBaseUrl", publicBaseUrl)
    .WithEnvironment("Sms__UseDevelopmentSender", "true"); // local only: texts go to the log

// account redeems password-reset tokens, and mfa asks for SMS codes, at verification's /internal API
// (no WaitFor: verification waits for account).
account.WithReference(verification);
mfa.WithReference(verification).WithEnvironment("Sms__AllowedRegions", "US,CA,GB,IE,DE,FR,NL,AU");

gateway
    .WithReference(account).WaitFor(account)
    .WithReference(verification).WaitFor(verification)
    .WithReference(mfa).WaitFor(mfa);

builder.Build().Run();
