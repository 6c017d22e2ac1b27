global using AuthPlatform.Mfa.Extensions;
global using AuthPlatform.Mfa.Apis;
global using AuthPlatform.Mfa.Clients;
