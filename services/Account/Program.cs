var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebConventions();
builder.AddApplicationServices();

var app = builder.Build();

app.UseWebConventions();
app.UseAccessKeyTokenEndpoint();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapWellKnownApi();
app.MapAccountApi();
app.MapSessionApi();
app.MapRememberedDevicesApi();
app.MapPasskeySignInApi();
app.MapAccessKeyApi();
app.MapOidcApi();
app.MapConnectedAppsApi();
app.MapClientsApi();
app.MapExternalIdentityApi();

app.Run();
