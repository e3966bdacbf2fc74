// "Try with a Simulated Cluster": the shipped simulator runs inside the extension host and is added as an endpoint.
// Its secret goes to SecretStorage like any other, and its certificate is pinned without asking, since we made it.
// After a reload the simulator is gone; the next sync of the demo endpoint starts a fresh one (new port) first.
import * as vscode from 'vscode';
import type { EndpointStore } from './endpoints/endpointStore';
import type { ProxboxLog } from './output';
import type { CoreServices, SimulatorHandle } from './core';
import type { EndpointDefinition } from './endpoints/endpoint';

export const DEMO_ENDPOINT_ID = 'demo';

export class DemoCluster implements vscode.Disposable {
  private sim: SimulatorHandle | undefined;
  private starting: Promise<SimulatorHandle> | undefined;

  constructor(private readonly services: CoreServices, private readonly store: EndpointStore, private readonly log: ProxboxLog) {}

  /** Starts the simulator if needed and saves the demo endpoint pointing at it. */
  async ensure(): Promise<EndpointDefinition> {
    const sim = await this.start();
    const existing = this.store.get(DEMO_ENDPOINT_ID);
    const endpoint: EndpointDefinition = {
      id: DEMO_ENDPOINT_ID, name: existing?.name ?? 'Simulated cluster', url: sim.url,
      tokenId: sim.tokenId, fingerprint: sim.fingerprint, demo: true,
      // The simulator's port changes with each start; what the user set on the endpoint (its NetBox target) stays.
      ...(existing?.netbox ? { netbox: existing.netbox } : {}),
    };
    const unchanged = existing && existing.url === endpoint.url && existing.fingerprint === endpoint.fingerprint && existing.tokenId === endpoint.tokenId;
    if (!unchanged || (await this.store.getSecret(DEMO_ENDPOINT_ID)) !== sim.tokenSecret) {
      await this.store.save(endpoint, sim.tokenSecret);
    }
    return endpoint;
  }

  /** Starts the simulator if it is not running; asks nothing of VS Code (a sync times only what VS Code answers). */
  async start(): Promise<SimulatorHandle> {
    if (!this.sim) {
      this.starting ??= this.services.startSimulator();
      try {
        this.sim = await this.starting;
      } finally {
        this.starting = undefined;
      }
      this.log.info(`Simulated Proxmox VE cluster listening on ${this.sim.url}`);
    }
    return this.sim;
  }

  /** Before each sync: a demo endpoint gets its simulator back (a reload ended it); others pass through. */
  async prepare(endpoint: EndpointDefinition): Promise<EndpointDefinition> {
    return endpoint.demo ? this.ensure() : endpoint;
  }

  async stop(): Promise<void> {
    const s = this.sim;
    this.sim = undefined;
    if (s) await s.close();
  }

  dispose(): void {
    void this.stop();
  }
}
