using System.Net;

namespace AuthPlatform.Testing;

/// <summary>
/// The accept loop of the tests' small HTTP fakes (Twilio, Google, an app's redirect URI): each request handled on
/// a task of its own until the listener closes; a client that went away is not an error.
/// </summary>
public static class LoopbackListener
{
    public static async Task ServeAsync(HttpListener listener, Func<HttpListenerContext, Task> handle)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                try
                {
                    await handle(context);
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
                {
                    // The client went away.
                }
            });
        }
    }
}
