// /healthz, /livez and /readyz in the text format of k8s.io/apiserver (`ok`, or the failed checks and 500).
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HealthService } from './health.service.js';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get(['healthz', 'livez', 'readyz'])
  report(@Req() req: Request, @Query('verbose') verbose: string | undefined, @Res() res: Response) {
    const kind = req.path.slice(1) as 'healthz' | 'livez' | 'readyz';
    const { ok, lines } = this.health.run(kind);
    const summary = ok ? `${kind} check passed` : `${kind} check failed`;
    const body = verbose !== undefined || !ok ? `${lines.join('\n')}\n${summary}\n` : 'ok';
    res
      .status(ok ? 200 : 500)
      .setHeader('Content-Type', 'text/plain; charset=utf-8')
      .setHeader('X-Content-Type-Options', 'nosniff')
      .end(body);
  }
}
