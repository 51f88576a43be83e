/** The cluster specs in file-name order (01-install … 90-uninstall): later ones change the release. */
const Sequencer = require('@jest/test-sequencer').default;

module.exports = class ByFileName extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
};
