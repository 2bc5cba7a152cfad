// The status bar text of the extension for the server's `dtrace/flavour` notification.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeFlavour, FLAVOUR_CHOICES } from '../../client/src/flavourLabel';
import { FLAVOURS } from '../../server/src/analyze/flavour/flavours';

describe('flavour status', () => {
  it('names the flavour and why it was chosen', () => {
    const at = (flavour: string, reason: 'setting' | 'pragma' | 'guess' | 'default') => describeFlavour({ uri: 'file:///x.d', flavour, reason }).text;
    assert.equal(at('freebsd', 'guess'), 'D: FreeBSD (guessed)');
    assert.equal(at('illumos', 'pragma'), 'D: illumos (pragma)');
    assert.equal(at('macos', 'setting'), 'D: macOS');
    assert.equal(at('linux', 'default'), 'D: Linux (replay) (default)');
  });
  it('explains the reason in the tooltip', () => {
    assert.equal(
      describeFlavour({ uri: 'file:///x.d', flavour: 'freebsd', reason: 'guess' }).tooltip,
      'DTrace target system: FreeBSD, guessed from the probes and kernel names the script uses. Click to choose another.',
    );
  });
  it('offers auto and every flavour the front end knows', () => {
    assert.deepEqual(FLAVOUR_CHOICES.map((c) => c.value), ['auto', ...FLAVOURS]);
  });
});
