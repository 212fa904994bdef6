// GET /metrics in the Prometheus text format. A non-resource URL like any other: the global guards
// authenticate the caller and ask kube-apiserver whether it may `get` /metrics, unless the path is in
// --authorization-always-allow-paths.
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { MetricsRegistry } from './metrics-registry.js';

@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get('metrics')
  async scrape(@Res() res: Response): Promise<void> {
    const { registry } = this.metrics;
    const body = await registry.metrics();
    res.status(200).setHeader('Content-Type', registry.contentType).end(body);
  }
}
