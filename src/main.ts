// The entry point. Node's compile cache is switched on before the server's modules load (a static import would
// load them first): a start then reuses the code compiled by the one before instead of compiling thousands of
// modules again. The cache goes to NODE_COMPILE_CACHE, else the OS temporary directory (an emptyDir in the
// Deployment, as the root filesystem is read-only); when it cannot be used the server starts without it.
import { enableCompileCache } from 'node:module';

try {
  enableCompileCache();
} catch {
  // A start without the cache is only slower.
}

const { bootstrap } = await import('./server.js');
bootstrap().catch((err: Error) => {
  console.error(`failed to start: ${err.message}`);
  process.exit(1);
});
