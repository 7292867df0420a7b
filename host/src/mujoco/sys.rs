//! Safe owning wrappers around MuJoCo's `mjModel` and `mjData`.
//!
//! `MjModel` owns a compiled model (freed with `mj_deleteModel`), `MjData` owns the simulation
//! state of one model (freed with `mj_deleteData`) and keeps its model alive through an `Arc`.
//! Array fields are exposed as slices whose lengths come from the model sizes.

use super::ffi;
use std::ffi::{CStr, CString};
use std::path::Path;
use std::ptr::NonNull;
use std::sync::Arc;

/// The MuJoCo version the bindings were generated for (`mj_version()`).
pub const MJ_VERSION: i32 = 333;

/// Errors of the MuJoCo layer.
#[derive(Debug, thiserror::Error)]
pub enum MjError {
    #[error("MuJoCo library version {found} is loaded, myoreflex needs 3.3.3 (run scripts/get-mujoco and rebuild)")]
    Version { found: i32 },
    #[error("cannot load MJCF model {path}: {msg}")]
    Load { path: String, msg: String },
    #[error("MuJoCo could not allocate data for the model")]
    Alloc,
}

/// MuJoCo object types used for name lookups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Obj {
    Body,
    Joint,
    Geom,
    Site,
    Actuator,
    Sensor,
    Key,
}

impl Obj {
    fn raw(self) -> ffi::mjtObj_ {
        match self {
            Obj::Body => ffi::mjtObj__mjOBJ_BODY,
            Obj::Joint => ffi::mjtObj__mjOBJ_JOINT,
            Obj::Geom => ffi::mjtObj__mjOBJ_GEOM,
            Obj::Site => ffi::mjtObj__mjOBJ_SITE,
            Obj::Actuator => ffi::mjtObj__mjOBJ_ACTUATOR,
            Obj::Sensor => ffi::mjtObj__mjOBJ_SENSOR,
            Obj::Key => ffi::mjtObj__mjOBJ_KEY,
        }
    }
}

/// Checks that the loaded library is the version the bindings were made for.
pub fn check_version() -> Result<(), MjError> {
    // SAFETY: mj_version has no preconditions.
    let found = unsafe { ffi::mj_version() };
    if found == MJ_VERSION {
        Ok(())
    } else {
        Err(MjError::Version { found })
    }
}

/// A slice over a MuJoCo array (`len` elements; empty when the pointer is null or len is 0).
///
/// # Safety
/// `ptr` must point to at least `len` initialised elements that live as long as `'a`.
unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> &'a [T] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

/// Mutable version of [`slice`].
///
/// # Safety
/// As [`slice`], and no other reference to the array may exist for `'a`.
unsafe fn slice_mut<'a, T>(ptr: *mut T, len: usize) -> &'a mut [T] {
    if ptr.is_null() || len == 0 {
        &mut []
    } else {
        std::slice::from_raw_parts_mut(ptr, len)
    }
}

fn n(x: i32) -> usize {
    usize::try_from(x).unwrap_or(0)
}

/// A compiled MuJoCo model.
pub struct MjModel {
    ptr: NonNull<ffi::mjModel>,
}

// SAFETY: mjModel is plain data owned by this value; MuJoCo functions take it by const pointer
// and never mutate it behind our back, so moving/sharing between threads is fine.
unsafe impl Send for MjModel {}
unsafe impl Sync for MjModel {}

impl Drop for MjModel {
    fn drop(&mut self) {
        // SAFETY: ptr came from mj_loadXML and is freed exactly once.
        unsafe { ffi::mj_deleteModel(self.ptr.as_ptr()) }
    }
}

macro_rules! model_arrays {
    ($($name:ident : $ty:ty = $size:ident * $k:expr;)*) => {
        $(
            #[doc = concat!("`mjModel.", stringify!($name), "`.")]
            pub fn $name(&self) -> &[$ty] {
                let m = self.raw();
                // SAFETY: MuJoCo allocates `size * k` elements for this array.
                unsafe { slice(m.$name, n(m.$size) * $k) }
            }
        )*
    };
}

impl MjModel {
    /// Loads and compiles an MJCF file.
    pub fn from_xml(path: &Path) -> Result<Self, MjError> {
        check_version()?;
        let shown = path.display().to_string();
        let c = CString::new(path.as_os_str().as_encoded_bytes()).map_err(|_| MjError::Load {
            path: shown.clone(),
            msg: "path contains a NUL byte".into(),
        })?;
        if !path.is_file() {
            return Err(MjError::Load {
                path: shown,
                msg: "no such file".into(),
            });
        }
        let mut err = [0 as std::ffi::c_char; 1000];
        // SAFETY: valid C string, null VFS, error buffer of the given size.
        let ptr = unsafe {
            ffi::mj_loadXML(
                c.as_ptr(),
                std::ptr::null(),
                err.as_mut_ptr(),
                err.len() as i32,
            )
        };
        match NonNull::new(ptr) {
            Some(ptr) => Ok(Self { ptr }),
            None => {
                // SAFETY: MuJoCo writes a NUL-terminated message into err.
                let msg = unsafe { CStr::from_ptr(err.as_ptr()) }
                    .to_string_lossy()
                    .into_owned();
                Err(MjError::Load { path: shown, msg })
            }
        }
    }

    /// The raw model.
    pub fn raw(&self) -> &ffi::mjModel {
        // SAFETY: ptr is valid for the lifetime of self.
        unsafe { self.ptr.as_ref() }
    }

    fn raw_ptr(&self) -> *const ffi::mjModel {
        self.ptr.as_ptr()
    }

    /// Id of the named object, if it exists.
    pub fn id(&self, obj: Obj, name: &str) -> Option<usize> {
        let c = CString::new(name).ok()?;
        // SAFETY: valid model and C string.
        let id = unsafe { ffi::mj_name2id(self.raw_ptr(), obj.raw() as i32, c.as_ptr()) };
        usize::try_from(id).ok()
    }

    /// Name of an object, if it has one.
    pub fn name(&self, obj: Obj, id: usize) -> Option<String> {
        let id = i32::try_from(id).ok()?;
        // SAFETY: valid model; MuJoCo returns NULL for bad ids.
        let p = unsafe { ffi::mj_id2name(self.raw_ptr(), obj.raw() as i32, id) };
        if p.is_null() {
            None
        } else {
            // SAFETY: MuJoCo returns a NUL-terminated name inside the model.
            Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
        }
    }

    pub fn nq(&self) -> usize {
        n(self.raw().nq)
    }
    pub fn nv(&self) -> usize {
        n(self.raw().nv)
    }
    pub fn nu(&self) -> usize {
        n(self.raw().nu)
    }
    pub fn na(&self) -> usize {
        n(self.raw().na)
    }
    pub fn nbody(&self) -> usize {
        n(self.raw().nbody)
    }
    pub fn nkey(&self) -> usize {
        n(self.raw().nkey)
    }

    model_arrays! {
        body_mass: f64 = nbody * 1;
        body_parentid: i32 = nbody * 1;
        body_rootid: i32 = nbody * 1;
        body_weldid: i32 = nbody * 1;
        jnt_qposadr: i32 = njnt * 1;
        jnt_dofadr: i32 = njnt * 1;
        jnt_range: f64 = njnt * 2;
        jnt_limited: u8 = njnt * 1;
        jnt_margin: f64 = njnt * 1;
        geom_bodyid: i32 = ngeom * 1;
        geom_pos: f64 = ngeom * 3;
        geom_quat: f64 = ngeom * 4;
        body_pos: f64 = nbody * 3;
        body_quat: f64 = nbody * 4;
        geom_dataid: i32 = ngeom * 1;
        geom_contype: i32 = ngeom * 1;
        geom_conaffinity: i32 = ngeom * 1;
        geom_rgba: f32 = ngeom * 4;
        hfield_size: f64 = nhfield * 4;
        actuator_actadr: i32 = nu * 1;
        actuator_gainprm: f64 = nu * 10;
        actuator_dyntype: i32 = nu * 1;
        sensor_adr: i32 = nsensor * 1;
        geom_type: i32 = ngeom * 1;
        mesh_vertadr: i32 = nmesh * 1;
        mesh_vertnum: i32 = nmesh * 1;
        mesh_graphadr: i32 = nmesh * 1;
        mesh_vert: f32 = nmeshvert * 3;
        mesh_graph: i32 = nmeshgraph * 1;
    }

    /// `mjModel.key_qpos` (nkey x nq).
    pub fn key_qpos(&self) -> &[f64] {
        // SAFETY: MuJoCo allocates nkey * nq elements.
        unsafe { slice(self.raw().key_qpos, self.nkey() * self.nq()) }
    }

    /// `mjModel.key_qvel` (nkey x nv).
    pub fn key_qvel(&self) -> &[f64] {
        // SAFETY: MuJoCo allocates nkey * nv elements.
        unsafe { slice(self.raw().key_qvel, self.nkey() * self.nv()) }
    }

    /// (rows, columns) of heightfield `h`.
    pub fn hfield_shape(&self, h: usize) -> (usize, usize) {
        let m = self.raw();
        // SAFETY: nhfield elements each.
        let (rows, cols) = unsafe {
            (
                slice(m.hfield_nrow, n(m.nhfield)),
                slice(m.hfield_ncol, n(m.nhfield)),
            )
        };
        (
            rows.get(h).map_or(0, |&r| n(r)),
            cols.get(h).map_or(0, |&c| n(c)),
        )
    }

    /// The elevation data of heightfield `h` (rows x columns, row-major).
    pub fn hfield_rows(&self, h: usize) -> &[f32] {
        let m = self.raw();
        let (r, c) = self.hfield_shape(h);
        // SAFETY: nhfield addresses; the data of h is r*c floats from its address.
        let adr = unsafe { slice(m.hfield_adr, n(m.nhfield)) }
            .get(h)
            .map_or(0, |&a| n(a));
        let all = unsafe { slice(m.hfield_data, n(m.nhfielddata)) };
        all.get(adr..adr + r * c).unwrap_or(&[])
    }
}

macro_rules! model_arrays_mut {
    ($($name:ident, $name_mut:ident : $ty:ty = $size:ident * $k:expr;)*) => {
        impl MjModel {
            $(
                #[doc = concat!("`mjModel.", stringify!($name), "`, mutable (run-time model changes).")]
                pub fn $name_mut(&mut self) -> &mut [$ty] {
                    // SAFETY: we own the model exclusively (&mut self); size * k elements.
                    let m = unsafe { self.ptr.as_mut() };
                    unsafe { slice_mut(m.$name, n(m.$size) * $k) }
                }
            )*
        }
    };
}

model_arrays_mut! {
    geom_pos, geom_pos_mut: f64 = ngeom * 3;
    geom_quat, geom_quat_mut: f64 = ngeom * 4;
    geom_rgba, geom_rgba_mut: f32 = ngeom * 4;
    geom_contype, geom_contype_mut: i32 = ngeom * 1;
    geom_conaffinity, geom_conaffinity_mut: i32 = ngeom * 1;
    hfield_size, hfield_size_mut: f64 = nhfield * 4;
}

impl MjModel {
    /// The elevation data of heightfield `h`, mutable.
    pub fn hfield_rows_mut(&mut self, h: usize) -> &mut [f32] {
        let (r, c) = self.hfield_shape(h);
        let m = self.raw();
        // SAFETY: as hfield_rows; exclusive through &mut self.
        let adr = unsafe { slice(m.hfield_adr, n(m.nhfield)) }
            .get(h)
            .map_or(0, |&a| n(a));
        let all = unsafe { slice_mut(m.hfield_data, n(m.nhfielddata)) };
        all.get_mut(adr..adr + r * c).unwrap_or(&mut [])
    }

    /// Sum of all body masses (kg).
    pub fn total_mass(&self) -> f64 {
        self.body_mass().iter().sum()
    }
}

/// Simulation state of one model.
pub struct MjData {
    ptr: NonNull<ffi::mjData>,
    model: Arc<MjModel>,
}

// SAFETY: mjData is owned by this value and only reached through &self/&mut self.
unsafe impl Send for MjData {}

impl Drop for MjData {
    fn drop(&mut self) {
        // SAFETY: ptr came from mj_makeData and is freed exactly once.
        unsafe { ffi::mj_deleteData(self.ptr.as_ptr()) }
    }
}

macro_rules! data_arrays {
    ($($name:ident, $name_mut:ident : $size:ident * $k:expr;)*) => {
        $(
            #[doc = concat!("`mjData.", stringify!($name), "`.")]
            pub fn $name(&self) -> &[f64] {
                let len = n(self.model.raw().$size) * $k;
                // SAFETY: MuJoCo allocates `size * k` elements; borrowed from &self.
                unsafe { slice(self.raw().$name, len) }
            }
            #[doc = concat!("`mjData.", stringify!($name), "`, mutable.")]
            pub fn $name_mut(&mut self) -> &mut [f64] {
                let len = n(self.model.raw().$size) * $k;
                // SAFETY: as above, exclusive through &mut self.
                unsafe { slice_mut(self.ptr.as_mut().$name, len) }
            }
        )*
    };
}

impl MjData {
    /// Fresh data (state at `qpos0`, time 0) for `model`.
    pub fn new(model: Arc<MjModel>) -> Result<Self, MjError> {
        // SAFETY: valid model.
        let ptr = unsafe { ffi::mj_makeData(model.raw_ptr()) };
        let ptr = NonNull::new(ptr).ok_or(MjError::Alloc)?;
        Ok(Self { ptr, model })
    }

    /// The model this data belongs to.
    pub fn model(&self) -> &Arc<MjModel> {
        &self.model
    }

    /// The model, mutable, when this data is its only owner (run-time model changes).
    pub fn model_mut(&mut self) -> Option<&mut MjModel> {
        Arc::get_mut(&mut self.model)
    }

    /// The raw data.
    pub fn raw(&self) -> &ffi::mjData {
        // SAFETY: ptr is valid for the lifetime of self.
        unsafe { self.ptr.as_ref() }
    }

    fn call(&mut self, f: unsafe extern "C" fn(*const ffi::mjModel, *mut ffi::mjData)) {
        // SAFETY: model and data match and are valid; &mut self gives exclusive access.
        unsafe { f(self.model.raw_ptr(), self.ptr.as_ptr()) }
    }

    /// `mj_resetData`: everything back to the model defaults, time 0.
    pub fn reset(&mut self) {
        self.call(ffi::mj_resetData);
    }
    /// `mj_forward`: the whole forward pipeline at the current state.
    pub fn forward(&mut self) {
        self.call(ffi::mj_forward);
    }
    /// `mj_step`.
    pub fn step(&mut self) {
        self.call(ffi::mj_step);
    }
    /// `mj_step1`: position and velocity stages.
    pub fn step1(&mut self) {
        self.call(ffi::mj_step1);
    }
    /// `mj_step2`: actuation, acceleration, constraints, integration.
    pub fn step2(&mut self) {
        self.call(ffi::mj_step2);
    }

    /// Copies the whole state and results of `other` (same model) into self.
    pub fn copy_from(&mut self, other: &MjData) -> bool {
        if !Arc::ptr_eq(&self.model, &other.model) {
            return false;
        }
        // SAFETY: same model, both valid.
        unsafe { ffi::mj_copyData(self.ptr.as_ptr(), self.model.raw_ptr(), other.ptr.as_ptr()) };
        true
    }

    pub fn time(&self) -> f64 {
        self.raw().time
    }
    pub fn set_time(&mut self, t: f64) {
        // SAFETY: exclusive access.
        unsafe { self.ptr.as_mut().time = t }
    }
    /// Number of detected contacts.
    pub fn ncon(&self) -> usize {
        n(self.raw().ncon)
    }
    /// Number of constraint rows.
    pub fn nefc(&self) -> usize {
        n(self.raw().nefc)
    }
    /// Count of a MuJoCo warning (`mjtWarning`) since the last reset.
    pub fn warning_count(&self, w: ffi::mjtWarning_) -> i32 {
        self.raw().warning.get(w as usize).map_or(0, |s| s.number)
    }

    data_arrays! {
        qpos, qpos_mut: nq * 1;
        qvel, qvel_mut: nv * 1;
        act, act_mut: na * 1;
        ctrl, ctrl_mut: nu * 1;
        qacc, qacc_mut: nv * 1;
        sensordata, sensordata_mut: nsensordata * 1;
        xpos, xpos_mut: nbody * 3;
        xquat, xquat_mut: nbody * 4;
        xanchor, xanchor_mut: njnt * 3;
        site_xpos, site_xpos_mut: nsite * 3;
        actuator_force, actuator_force_mut: nu * 1;
        actuator_length, actuator_length_mut: nu * 1;
        actuator_velocity, actuator_velocity_mut: nu * 1;
    }

    /// The active contacts (`ncon` entries).
    pub fn contacts(&self) -> &[ffi::mjContact] {
        // SAFETY: ncon contacts are valid after the collision stage.
        unsafe { slice(self.raw().contact, self.ncon()) }
    }
    /// `efc_type` of the `nefc` constraint rows.
    pub fn efc_type(&self) -> &[i32] {
        // SAFETY: nefc rows.
        unsafe { slice(self.raw().efc_type, self.nefc()) }
    }
    /// `efc_id` of the `nefc` constraint rows.
    pub fn efc_id(&self) -> &[i32] {
        // SAFETY: nefc rows.
        unsafe { slice(self.raw().efc_id, self.nefc()) }
    }
    /// `efc_force` of the `nefc` constraint rows.
    pub fn efc_force(&self) -> &[f64] {
        // SAFETY: nefc rows.
        unsafe { slice(self.raw().efc_force, self.nefc()) }
    }

    /// `mj_contactForce`: force of contact `i` in its contact frame (normal, tangent1, tangent2,
    /// torques).
    pub fn contact_force(&self, i: usize) -> [f64; 6] {
        let mut out = [0.0; 6];
        if i < self.ncon() {
            // SAFETY: valid id, 6-element output buffer.
            unsafe {
                ffi::mj_contactForce(self.model.raw_ptr(), self.raw(), i as i32, out.as_mut_ptr())
            };
        }
        out
    }

    /// `mj_objectVelocity` of a body: (angular, linear), world or local frame.
    pub fn body_velocity(&self, body: usize, local: bool) -> ([f64; 3], [f64; 3]) {
        let mut out = [0.0; 6];
        // SAFETY: valid body id (callers pass ids found in this model), 6-element buffer.
        unsafe {
            ffi::mj_objectVelocity(
                self.model.raw_ptr(),
                self.raw(),
                ffi::mjtObj__mjOBJ_BODY as i32,
                body as i32,
                out.as_mut_ptr(),
                i32::from(local),
            )
        };
        ([out[0], out[1], out[2]], [out[3], out[4], out[5]])
    }
}
