import { Injectable } from '@nestjs/common';

/**
 * Whether this process still wants new requests: false from SIGTERM on (server.ts), so /readyz
 * turns 503 before the server stops listening and a balancer moves traffic first.
 */
@Injectable()
export class Readiness {
  private draining = false;

  drain(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }
}
