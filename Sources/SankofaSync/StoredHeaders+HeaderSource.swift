import SankofaBlockchain
import SankofaP2P

/// The chain store answers GetBlockHeaders: `HeaderSource` asks exactly what `ChainHeaderReader` provides.
extension StoredHeaders: HeaderSource {}
