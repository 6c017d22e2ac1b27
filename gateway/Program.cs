var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebConventions();
builder.AddGatewayServices();

var app = builder.Build();

app.UseGatewayEdge();
app.MapDefaultEndpoints();
app.MapReverseProxy();

app.Run();
