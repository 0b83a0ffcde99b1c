//! Typed indices into the topology's and the engine's arenas, so a pod index
//! can never be passed where a service or a request is meant.

use serde::Serialize;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id!(
    /// A pod in [`crate::Topology::pods`].
    PodId
);
id!(
    /// A Kubernetes Service in [`crate::Topology::services`].
    SvcId
);
id!(
    /// A host outside the cluster in [`crate::Topology::external`].
    HostId
);
id!(
    /// A Kubernetes node in [`crate::Topology::nodes`].
    NodeId
);
id!(
    /// An app handling a request, in the engine's world.
    JobId
);
/// Ids that are often optional: stored as index + 1, so `Option<Self>` is
/// no larger than the id (a trace keeps one per row).
macro_rules! compact_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(std::num::NonZeroU32);

        impl $name {
            pub fn new(index: usize) -> Self {
                let n = u32::try_from(index + 1).expect("fewer than 2^32 - 1 ids");
                Self(std::num::NonZeroU32::new(n).expect("index + 1 is not zero"))
            }

            pub fn index(self) -> usize {
                self.0.get() as usize - 1
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u32(self.index() as u32)
            }
        }
    };
}

compact_id!(
    /// A request (one call, with all its attempts) in a run.
    ReqId
);
compact_id!(
    /// A row of a [`crate::Trace`].
    RowId
);
