using AuthPlatform.Gateway.Routing;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebConventions();
builder.AddGatewayServices();

var app = builder.Build();

app.UseGatewayEdge();
app.MapDefaultEndpoints();
app.MapApiOnlyPrefixes();
app.MapReverseProxy(proxy =>
{
    proxy.UseUnreachableDestinationRetry();
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});

app.Run();
