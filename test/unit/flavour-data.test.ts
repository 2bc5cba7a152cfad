// Every flavour's data under server/lib loads without problems, and its catalogue is built in
// the documented order: dtrace, profile, the user's provider files, the flavour's providers,
// then its open-world ones.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flavourData, libraryRoot } from '../../server/src/analyze/flavour/flavourData';
import { FLAVOURS, FLAVOUR_TRAITS } from '../../server/src/analyze/flavour/flavours';
import { flavourCatalogue } from '../../server/src/analyze/frontEnd';

describe('flavour data', () => {
  it('is found in the source tree', () => {
    assert.match(libraryRoot(), /server[\\/]lib$/);
  });
  for (const flavour of FLAVOURS) {
    it(`${flavour}: providers, kernel functions and library files load without problems`, () => {
      const data = flavourData(flavour);
      assert.deepEqual(data.problems, []);
      assert.ok(data.providers.some((p) => p.name === 'syscall'), 'every flavour has system calls');
      assert.ok(data.libraries.some((l) => l.name === 'unistd.d'), 'the common library files are loaded too');
    });
    it(`${flavour}: the catalogue lists dtrace and profile first, then the flavour's providers and its open ones`, () => {
      const providers = flavourCatalogue(flavour).providers();
      assert.deepEqual(providers.slice(0, 2), ['dtrace', 'profile']);
      for (const p of flavourData(flavour).providers) assert.ok(providers.includes(p.name), p.name);
      for (const p of FLAVOUR_TRAITS[flavour].openProviders) assert.ok(providers.includes(p), p);
    });
  }
  it('a provider file given by the user replaces the flavour provider of that name', () => {
    const c = flavourCatalogue('freebsd', [{ name: 'syscall', probes: [{ module: 'mine', function: 'read', name: 'entry' }] }]);
    assert.deepEqual(c.providers().slice(0, 3), ['dtrace', 'profile', 'syscall']);
    assert.deepEqual(c.match({ provider: 'syscall', module: '', function: '', name: '' }).map((p) => p.module), ['mine']);
  });
  it('each compilation gets its own catalogue: probes made on demand do not leak into the next', () => {
    const a = flavourCatalogue('freebsd');
    const created = a.match({ provider: 'fbt', module: '', function: 'mydrv_intr', name: 'entry' });
    assert.equal(created.length, 1);
    const b = flavourCatalogue('freebsd');
    assert.equal(b.size, a.size - 1);
    assert.deepEqual(b.list({ provider: 'fbt', module: '', function: 'mydrv_intr', name: 'entry' }).probes.map((p) => p.id), [created[0]!.id]);
  });
});
