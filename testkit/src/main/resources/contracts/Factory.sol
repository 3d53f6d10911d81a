// SPDX-License-Identifier: Apache-2.0
// Test contract of the pessimism testkit: creates contracts from inside calls, so tests can check
// that the ETL finds contracts a factory creates (CREATE, CREATE2) as well as those a transaction
// deploys, and leaves out a creation whose call reverted. Each creation emits Created(child, tag).
// Regenerate Factory.bin / Factory.abi with ./compile.sh after any change.
pragma solidity 0.8.30;

contract Child {
    uint256 public immutable tag;

    constructor(uint256 tag_) {
        tag = tag_;
    }
}

contract Factory {
    event Created(address indexed child, uint256 tag);

    /// A Child by CREATE.
    function create(uint256 tag) public returns (address child) {
        child = address(new Child(tag));
        emit Created(child, tag);
    }

    /// A Child by CREATE2 with this salt.
    function create2(uint256 tag, bytes32 salt) external returns (address child) {
        child = address(new Child{salt: salt}(tag));
        emit Created(child, tag);
    }

    /// Creates a Child inside a call that reverts, and carries on: the transaction succeeds, the Child does not exist.
    function createReverted(uint256 tag) external {
        try this.createAndRevert(tag) {
        } catch {
        }
    }

    function createAndRevert(uint256 tag) external {
        create(tag);
        revert("undone");
    }
}
