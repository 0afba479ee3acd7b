import Crypto
import Foundation
import LsmCore
import LsmStore

/// Invites and members: creating, redeeming, refreshing, listing and revoking. Tokens are 32 random
/// bytes (base64url); only their SHA-256 is stored.
public struct InviteDesk: Sendable {
    let store: any RoomStore
    let now: @Sendable () -> Date

    public init(store: any RoomStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// A new invite to `room`; returns the token (shown once) and the stored record.
    public func create(room: String, role: Role, lifetime: TimeInterval, uses: Int) throws(LsmError) -> (
        token: String, invite: InviteRecord
    ) {
        guard uses >= 1 else { throw LsmError(.user, "--uses must be at least 1") }
        guard lifetime > 0 else { throw LsmError(.user, "--expires must be in the future") }
        let token = Self.randomToken()
        let hash = Self.hash(token)
        let created = now()
        let invite = InviteRecord(
            id: Self.hex(hash.prefix(6)), hash: hash, room: room, role: role.rawValue, createdAt: created,
            expiresAt: created.addingTimeInterval(lifetime), maxUses: uses)
        do { try store.addInvite(invite) } catch { throw LsmError.wrapping(error) }
        return (token, invite)
    }

    /// Uses the invite once and makes a member named `name`; nil when the invite is not valid.
    func redeem(token: String, name: String) throws(StoreError) -> (member: MemberRecord, refreshToken: String)? {
        guard Self.looksLikeToken(token), let invite = try store.redeemInvite(hash: Self.hash(token), at: now()) else { return nil }
        let refresh = Self.randomToken()
        let member = MemberRecord(
            id: "m" + Self.hex(Data(SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }).prefix(8)), room: invite.room,
            name: name, role: invite.role, inviteID: invite.id, refreshHash: Self.hash(refresh), createdAt: now())
        try store.addMember(member)
        return (member, refresh)
    }

    /// Swaps a refresh token for a new one; nil when it is unknown, already used, or the member was
    /// revoked.
    func refresh(token: String) throws(StoreError) -> (member: MemberRecord, refreshToken: String)? {
        guard Self.looksLikeToken(token) else { return nil }
        let old = Self.hash(token)
        guard let member = try store.member(refreshHash: old), member.revokedAt == nil else { return nil }
        let new = Self.randomToken()
        guard try store.rotateRefreshToken(member: member.id, from: old, to: Self.hash(new)) else { return nil }
        return (member, new)
    }

    public func invites() throws(LsmError) -> [InviteRecord] {
        do { return try store.invites() } catch { throw LsmError.wrapping(error) }
    }

    public func members() throws(LsmError) -> [MemberRecord] {
        do { return try store.members() } catch { throw LsmError.wrapping(error) }
    }

    /// Revokes what `target` names: the members with that display name, else the one invite or member
    /// whose id starts with it (a prefix that fits several is refused, as git refuses an ambiguous
    /// short hash). Revoking an invite also revokes the members who joined with it; the server closes
    /// their sockets with 1008 within a second.
    public func revoke(_ target: String) throws(LsmError) -> (invites: [String], members: [String]) {
        let allMembers = try self.members().filter { $0.revokedAt == nil }
        var invites: [InviteRecord] = []
        var members = allMembers.filter { !target.isEmpty && $0.name == target }
        if members.isEmpty && !target.isEmpty {
            invites = try self.invites().filter { $0.revokedAt == nil && $0.id.hasPrefix(target.lowercased()) }
            members = allMembers.filter { $0.id.hasPrefix(target) }
            if invites.count + members.count > 1 {
                throw LsmError(
                    .user, "'\(target)' fits \(invites.count + members.count) invites and members",
                    hint: "give more of the id (git lsm review --list shows them)")
            }
        }
        let inviteIDs = Set(invites.map(\.id))
        members += allMembers.filter { inviteIDs.contains($0.inviteID) && !members.contains($0) }
        guard !invites.isEmpty || !members.isEmpty else {
            throw LsmError(.user, "no invite or member matches '\(target)'", hint: "git lsm review --list shows them")
        }
        do {
            try store.revokeInvites(ids: invites.map(\.id), at: now())
            try store.revokeMembers(ids: members.map(\.id), at: now())
        } catch { throw LsmError.wrapping(error) }
        return (invites.map(\.id), members.map(\.id))
    }

    static func randomToken() -> String {
        Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    static func hash(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }

    static func looksLikeToken(_ token: String) -> Bool {
        token.count == 43 && token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }
}
