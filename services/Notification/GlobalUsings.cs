global using AuthPlatform.Notification.Extensions;
