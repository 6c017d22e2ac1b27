global using AuthPlatform.Gateway.Extensions;
