global using AuthPlatform.Gateway.Hosting;
