// Separate network namespaces, each with its own address, for fleet agents that should look like
// other machines (where the test host allows `ip netns`: root on Linux). Each namespace is joined
// to this one by a veth pair on its own /30: this side .1, the namespace .2. Deleting a namespace
// deletes its pair.
import { execFileSync } from 'node:child_process';

export interface NetNamespace {
  name: string;
  /** The namespace's own address. */
  address: string;
  /** This side's address, where a server bound to 0.0.0.0 answers the namespace. */
  hostAddress: string;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/** `count` namespaces, or undefined when this host does not allow them (not root, no `ip`, a container without the right). */
export function createNetNamespaces(count: number): NetNamespace[] | undefined {
  const made: NetNamespace[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = `tw${process.pid % 100_000}n${i}`;
      const subnet = `10.${200 + (process.pid % 50)}.${i}`;
      const ns = { name, address: `${subnet}.2`, hostAddress: `${subnet}.1` };
      ip('netns', 'add', name);
      made.push(ns);
      ip('link', 'add', `${name}h`, 'type', 'veth', 'peer', 'name', `${name}g`);
      ip('link', 'set', `${name}g`, 'netns', name);
      ip('addr', 'add', `${ns.hostAddress}/30`, 'dev', `${name}h`);
      ip('link', 'set', `${name}h`, 'up');
      ip('-n', name, 'addr', 'add', `${ns.address}/30`, 'dev', `${name}g`);
      ip('-n', name, 'link', 'set', `${name}g`, 'up');
      ip('-n', name, 'link', 'set', 'lo', 'up');
    }
    return made;
  } catch {
    deleteNetNamespaces(made);
    return undefined;
  }
}

export function deleteNetNamespaces(namespaces: readonly NetNamespace[] | undefined): void {
  for (const ns of namespaces ?? []) {
    try {
      ip('netns', 'del', ns.name);
    } catch {}
    try {
      ip('link', 'del', `${ns.name}h`); // normally gone with the namespace
    } catch {}
  }
}
