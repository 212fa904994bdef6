// The one exit for errors of the routes Nest serves: whatever was thrown leaves as a metav1.Status with the right
// code and reason (error-status.ts).
import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { writeError } from './reply.js';

@Catch()
export class StatusFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost): void {
    writeError(host.switchToHttp().getResponse<ServerResponse>(), err);
  }
}
