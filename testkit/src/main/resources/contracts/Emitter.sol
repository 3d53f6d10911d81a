// SPDX-License-Identifier: Apache-2.0
// Test contract of the pessimism testkit: emits events on demand so tests can check that the ETL
// matches logs by contract address and event signature. Three shapes on purpose:
//   Ping     one indexed topic + data       (the common case)
//   Pong     same argument types, different signature, nothing indexed
//   Transfer ERC-20-shaped, two indexed topics
// Regenerate Emitter.bin / Emitter.abi with ./compile.sh after any change.
pragma solidity 0.8.30;

contract Emitter {
    event Ping(address indexed who, uint256 value);
    event Pong(address who, uint256 value);
    event Transfer(address indexed from, address indexed to, uint256 value);

    function ping(address who, uint256 value) external {
        emit Ping(who, value);
    }

    function pong(address who, uint256 value) external {
        emit Pong(who, value);
    }

    function transfer(address from, address to, uint256 value) external {
        emit Transfer(from, to, value);
    }

    /// Emits `count` Ping events with values firstValue, firstValue + 1, ... in one transaction.
    function pingMany(address who, uint256 firstValue, uint256 count) external {
        for (uint256 i = 0; i < count; i++) {
            emit Ping(who, firstValue + i);
        }
    }
}
