global using AuthPlatform.Contracts.Api;
global using AuthPlatform.Verification.Apis;
global using AuthPlatform.Verification.Extensions;
