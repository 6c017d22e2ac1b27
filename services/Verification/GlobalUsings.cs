global using AuthPlatform.Verification.Apis;
global using AuthPlatform.Verification.Extensions;
global using AuthPlatform.Contracts.Api;
