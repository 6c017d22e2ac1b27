global using AuthPlatform.Contracts.Api;
global using AuthPlatform.Mfa.Apis;
global using AuthPlatform.Mfa.Clients;
global using AuthPlatform.Mfa.Extensions;
