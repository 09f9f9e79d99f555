//! The AWS service models: the embedded bundle generated from the pinned botocore release, the
//! search of `AWS_DATA_PATH` and `~/.aws/models`, the typed shapes that the protocols walk, and the
//! documentation bundle that only help reads.

pub mod bundle;
pub mod docs;
pub mod loader;
pub mod names;
pub mod shapes;

pub use bundle::ServiceFiles;
pub use loader::Loader;
pub use shapes::{
    ErrorInfo, Http, Metadata, ModelError, Operation, ServiceModel, Shape, ShapeRef, ShapeType, XmlNamespace,
};
