/** The cluster specs in file-name order (01-install … 16-pods-killed): later ones change the release; 06-network-policy reads the release before 06-uninstall removes it. */
const Sequencer = require('@jest/test-sequencer').default;

module.exports = class ByFileName extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
};
