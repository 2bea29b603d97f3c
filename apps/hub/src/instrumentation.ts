/** Runs once when the server starts (Node.js runtime only: the check needs process and the environment). */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { checkEnvironmentAtStartup } = await import('./lib/startup');
    checkEnvironmentAtStartup();
  }
}
