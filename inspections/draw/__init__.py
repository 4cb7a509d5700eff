"""The verifiable 双随机 draw: the pure algorithm, its persistence, the published record and its verifier."""
