global using AuthPlatform.Verification.Extensions;
global using AuthPlatform.Verification.Apis;
