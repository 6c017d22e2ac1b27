global using AuthPlatform.Verification.Apis;
global using AuthPlatform.Verification.Extensions;
