import Testing

/// The suites that load the machine (10,000 messages through one server) or measure delivery times
/// (two nodes, 100 ms): run one test at a time, so that the load of one does not skew the clock of
/// another. Other suites still run beside them.
@Suite(.serialized) enum LoadSensitiveServerTests {}
