"""ansinh: management information system for Vietnamese social assistance (trợ giúp xã hội)."""
