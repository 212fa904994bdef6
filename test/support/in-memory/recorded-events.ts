// Events on Nodes, kept as they were recorded, in order.
import { NodeEvents, type EventType } from '../../../src/restarts/cluster/node-events.js';

export interface RecordedEvent {
  node: string;
  type: EventType;
  reason: string;
  message: string;
}

export class RecordedEvents extends NodeEvents {
  readonly events: RecordedEvent[] = [];

  async record(node: string, type: EventType, reason: string, message: string): Promise<void> {
    this.events.push({ node, type, reason, message });
  }

  reasons(node: string): string[] {
    return this.events.filter((e) => e.node === node).map((e) => e.reason);
  }
}
