// @generated from status_codes.tsv (SPSDK 3.12.0 StatusCode) by gen_status_table.py.
// Do not edit by hand.

use super::StatusCode;

#[rustfmt::skip]
impl StatusCode {
    /// `Success` (0, 0x0): Success.
    pub const SUCCESS: StatusCode = StatusCode(0);
    /// `Fail` (1, 0x1): Fail.
    pub const FAIL: StatusCode = StatusCode(1);
    /// `ReadOnly` (2, 0x2): Read Only Error.
    pub const READ_ONLY: StatusCode = StatusCode(2);
    /// `OutOfRange` (3, 0x3): Out Of Range Error.
    pub const OUT_OF_RANGE: StatusCode = StatusCode(3);
    /// `InvalidArgument` (4, 0x4): Invalid Argument Error.
    pub const INVALID_ARGUMENT: StatusCode = StatusCode(4);
    /// `TimeoutError` (5, 0x5): Timeout Error.
    pub const TIMEOUT: StatusCode = StatusCode(5);
    /// `NoTransferInProgress` (6, 0x6): No Transfer In Progress Error.
    pub const NO_TRANSFER_IN_PROGRESS: StatusCode = StatusCode(6);
    /// `FlashSizeError` (100, 0x64): FLASH Driver: Size Error.
    pub const FLASH_SIZE_ERROR: StatusCode = StatusCode(100);
    /// `FlashAlignmentError` (101, 0x65): FLASH Driver: Alignment Error.
    pub const FLASH_ALIGNMENT_ERROR: StatusCode = StatusCode(101);
    /// `FlashAddressError` (102, 0x66): FLASH Driver: Address Error.
    pub const FLASH_ADDRESS_ERROR: StatusCode = StatusCode(102);
    /// `FlashAccessError` (103, 0x67): FLASH Driver: Access Error.
    pub const FLASH_ACCESS_ERROR: StatusCode = StatusCode(103);
    /// `FlashProtectionViolation` (104, 0x68): FLASH Driver: Protection Violation.
    pub const FLASH_PROTECTION_VIOLATION: StatusCode = StatusCode(104);
    /// `FlashCommandFailure` (105, 0x69): FLASH Driver: Command Failure.
    pub const FLASH_COMMAND_FAILURE: StatusCode = StatusCode(105);
    /// `FlashUnknownProperty` (106, 0x6a): FLASH Driver: Unknown Property.
    pub const FLASH_UNKNOWN_PROPERTY: StatusCode = StatusCode(106);
    /// `FlashEraseKeyError` (107, 0x6b): FLASH Driver: Provided Key Does Not Match Programmed Flash Memory Key.
    pub const FLASH_ERASE_KEY_ERROR: StatusCode = StatusCode(107);
    /// `FlashRegionExecuteOnly` (108, 0x6c): FLASH Driver: Region Execute Only.
    pub const FLASH_REGION_EXECUTE_ONLY: StatusCode = StatusCode(108);
    /// `FlashExecuteInRamFunctionNotReady` (109, 0x6d): FLASH Driver: Execute In RAM Function Not Ready.
    pub const FLASH_EXEC_IN_RAM_NOT_READY: StatusCode = StatusCode(109);
    /// `FlashCommandNotSupported` (111, 0x6f): FLASH Driver: Command Not Supported.
    pub const FLASH_COMMAND_NOT_SUPPORTED: StatusCode = StatusCode(111);
    /// `FlashReadOnlyProperty` (112, 0x70): FLASH Driver: Flash Memory Property Is Read-Only.
    pub const FLASH_READ_ONLY_PROPERTY: StatusCode = StatusCode(112);
    /// `FlashInvalidPropertyValue` (113, 0x71): FLASH Driver: Flash Memory Property Value Out Of Range.
    pub const FLASH_INVALID_PROPERTY_VALUE: StatusCode = StatusCode(113);
    /// `FlashInvalidSpeculationOption` (114, 0x72): FLASH Driver: Flash Memory Prefetch Speculation Option Is Invalid.
    pub const FLASH_INVALID_SPECULATION_OPTION: StatusCode = StatusCode(114);
    /// `FlashEccError` (116, 0x74): FLASH Driver: ECC Error.
    pub const FLASH_ECC_ERROR: StatusCode = StatusCode(116);
    /// `FlashCompareError` (117, 0x75): FLASH Driver: Destination And Source Memory Contents Do Not Match.
    pub const FLASH_COMPARE_ERROR: StatusCode = StatusCode(117);
    /// `FlashRegulationLoss` (118, 0x76): FLASH Driver: Loss Of Regulation During Read.
    pub const FLASH_REGULATION_LOSS: StatusCode = StatusCode(118);
    /// `FlashInvalidWaitStateCycles` (119, 0x77): FLASH Driver: Wait State Cycle Set To Read/Write Mode Is Invalid.
    pub const FLASH_INVALID_WAIT_STATE_CYCLES: StatusCode = StatusCode(119);
    /// `FlashCommandAbortOption` (121, 0x79): FLASH Driver: Operation is aborted.
    pub const FLASH_COMMAND_ABORT_OPTION: StatusCode = StatusCode(121);
    /// `FlashOutOfDateCfpaPage` (132, 0x84): FLASH Driver: Out Of Date CFPA Page.
    pub const FLASH_OUT_OF_DATE_CFPA_PAGE: StatusCode = StatusCode(132);
    /// `FlashBlankIfrPageData` (133, 0x85): FLASH Driver: Blank IFR Page Data.
    pub const FLASH_BLANK_IFR_PAGE_DATA: StatusCode = StatusCode(133);
    /// `FlashEncryptedRegionsEraseNotDoneAtOnce` (134, 0x86): FLASH Driver: Encrypted Regions Erase Not Done At Once.
    pub const FLASH_ENCRYPTED_REGIONS_ERASE_NOT_DONE_AT_ONCE: StatusCode = StatusCode(134);
    /// `FlashProgramVerificationNotAllowed` (135, 0x87): FLASH Driver: Program Verification Not Allowed.
    pub const FLASH_PROGRAM_VERIFICATION_NOT_ALLOWED: StatusCode = StatusCode(135);
    /// `FlashHashCheckError` (136, 0x88): FLASH Driver: Hash Check Error.
    pub const FLASH_HASH_CHECK_ERROR: StatusCode = StatusCode(136);
    /// `FlashSealedPfrRegion` (137, 0x89): FLASH Driver: Sealed PFR Region.
    pub const FLASH_SEALED_PFR_REGION: StatusCode = StatusCode(137);
    /// `FlashPfrRegionWriteBroken` (138, 0x8a): FLASH Driver: PFR Region Write Broken.
    pub const FLASH_PFR_REGION_WRITE_BROKEN: StatusCode = StatusCode(138);
    /// `FlashNmpaUpdateNotAllowed` (139, 0x8b): FLASH Driver: NMPA Update Not Allowed.
    pub const FLASH_NMPA_UPDATE_NOT_ALLOWED: StatusCode = StatusCode(139);
    /// `FlashCmpaCfgDirectEraseNotAllowed` (140, 0x8c): FLASH Driver: CMPA Cfg Direct Erase Not Allowed.
    pub const FLASH_CMPA_CFG_DIRECT_ERASE_NOT_ALLOWED: StatusCode = StatusCode(140);
    /// `FlashPfrBankIsLocked` (141, 0x8d): FLASH Driver: PFR Bank Is Locked.
    pub const FLASH_PFR_BANK_IS_LOCKED: StatusCode = StatusCode(141);
    /// `FlashCfpaScratchPageInvalid` (148, 0x94): FLASH Driver: CFPA Scratch Page Invalid.
    pub const FLASH_CFPA_SCRATCH_PAGE_INVALID: StatusCode = StatusCode(148);
    /// `FlashCfpaVersionRollbackDisallowed` (149, 0x95): FLASH Driver: CFPA Version Rollback Disallowed.
    pub const FLASH_CFPA_VERSION_ROLLBACK_DISALLOWED: StatusCode = StatusCode(149);
    /// `FlashReadHidingAreaDisallowed` (150, 0x96): FLASH Driver: Flash Memory Hiding Read Not Allowed.
    pub const FLASH_READ_HIDING_AREA_DISALLOWED: StatusCode = StatusCode(150);
    /// `FlashModifyProtectedAreaDisallowed` (151, 0x97): FLASH Driver: Flash Firewall Page Locked Erase And Program Are Not Allowed.
    pub const FLASH_MODIFY_PROTECTED_AREA_DISALLOWED: StatusCode = StatusCode(151);
    /// `FlashCommandOperationInProgress` (152, 0x98): FLASH Driver: Flash Memory State Busy Flash Memory Command Is In Progress.
    pub const FLASH_COMMAND_OPERATION_IN_PROGRESS: StatusCode = StatusCode(152);
    /// `FlashIfr1AccessNotAllowed` (153, 0x99): FLASH Driver: IFR1 Access Not Allowed.
    pub const FLASH_IFR1_ACCESS_NOT_ALLOWED: StatusCode = StatusCode(153);
    /// `FlashEraseVerifyFailed` (154, 0x9a): FLASH Driver: Flash Memory Erase Verify Failed.
    pub const FLASH_ERASE_VERIFY_FAILED: StatusCode = StatusCode(154);
    /// `I2cSlaveTxUnderrun` (200, 0xc8): I2C Driver: Slave Tx Underrun.
    pub const I2C_SLAVE_TX_UNDERRUN: StatusCode = StatusCode(200);
    /// `I2cSlaveRxOverrun` (201, 0xc9): I2C Driver: Slave Rx Overrun.
    pub const I2C_SLAVE_RX_OVERRUN: StatusCode = StatusCode(201);
    /// `I2cArbitrationLost` (202, 0xca): I2C Driver: Arbitration Lost.
    pub const I2C_ARBITRATION_LOST: StatusCode = StatusCode(202);
    /// `SpiSlaveTxUnderrun` (300, 0x12c): SPI Driver: Slave Tx Underrun.
    pub const SPI_SLAVE_TX_UNDERRUN: StatusCode = StatusCode(300);
    /// `SpiSlaveRxOverrun` (301, 0x12d): SPI Driver: Slave Rx Overrun.
    pub const SPI_SLAVE_RX_OVERRUN: StatusCode = StatusCode(301);
    /// `QspiFlashSizeError` (400, 0x190): QSPI Driver: Flash Size Error.
    pub const QSPI_FLASH_SIZE_ERROR: StatusCode = StatusCode(400);
    /// `QspiFlashAlignmentError` (401, 0x191): QSPI Driver: Flash Alignment Error.
    pub const QSPI_FLASH_ALIGNMENT_ERROR: StatusCode = StatusCode(401);
    /// `QspiFlashAddressError` (402, 0x192): QSPI Driver: Flash Address Error.
    pub const QSPI_FLASH_ADDRESS_ERROR: StatusCode = StatusCode(402);
    /// `QspiFlashCommandFailure` (403, 0x193): QSPI Driver: Flash Command Failure.
    pub const QSPI_FLASH_COMMAND_FAILURE: StatusCode = StatusCode(403);
    /// `QspiFlashUnknownProperty` (404, 0x194): QSPI Driver: Flash Unknown Property.
    pub const QSPI_FLASH_UNKNOWN_PROPERTY: StatusCode = StatusCode(404);
    /// `QspiNotConfigured` (405, 0x195): QSPI Driver: Not Configured.
    pub const QSPI_NOT_CONFIGURED: StatusCode = StatusCode(405);
    /// `QspiCommandNotSupported` (406, 0x196): QSPI Driver: Command Not Supported.
    pub const QSPI_COMMAND_NOT_SUPPORTED: StatusCode = StatusCode(406);
    /// `QspiCommandTimeout` (407, 0x197): QSPI Driver: Command Timeout.
    pub const QSPI_COMMAND_TIMEOUT: StatusCode = StatusCode(407);
    /// `QspiWriteFailure` (408, 0x198): QSPI Driver: Write Failure.
    pub const QSPI_WRITE_FAILURE: StatusCode = StatusCode(408);
    /// `OtfadSecurityViolation` (500, 0x1f4): OTFAD Driver: Security Violation.
    pub const OTFAD_SECURITY_VIOLATION: StatusCode = StatusCode(500);
    /// `OtfadLogicallyDisabled` (501, 0x1f5): OTFAD Driver: Logically Disabled.
    pub const OTFAD_LOGICALLY_DISABLED: StatusCode = StatusCode(501);
    /// `OtfadInvalidKey` (502, 0x1f6): OTFAD Driver: Invalid Key.
    pub const OTFAD_INVALID_KEY: StatusCode = StatusCode(502);
    /// `OtfadInvalidKeyBlob` (503, 0x1f7): OTFAD Driver: Invalid Key Blob.
    pub const OTFAD_INVALID_KEY_BLOB: StatusCode = StatusCode(503);
    /// `SDMMCNotSupportYet` (1800, 0x708): SDMMC Driver: Not Supported Yet.
    pub const SDMMC_NOT_SUPPORT_YET: StatusCode = StatusCode(1800);
    /// `SDMMCTransferFailed` (1801, 0x709): SDMMC Driver: Transfer Failed.
    pub const SDMMC_TRANSFER_FAILED: StatusCode = StatusCode(1801);
    /// `SDMMCSetCardBlockSizeFailed` (1802, 0x70a): SDMMC Driver: Set Card Block Size Failed.
    pub const SDMMC_SET_CARD_BLOCK_SIZE_FAILED: StatusCode = StatusCode(1802);
    /// `SDMMCHostNotSupport` (1803, 0x70b): SDMMC Driver: Host Not Supported.
    pub const SDMMC_HOST_NOT_SUPPORT: StatusCode = StatusCode(1803);
    /// `SDMMCCardNotSupport` (1804, 0x70c): SDMMC Driver: Card Not Supported.
    pub const SDMMC_CARD_NOT_SUPPORT: StatusCode = StatusCode(1804);
    /// `SDMMCAllSendCidFailed` (1805, 0x70d): SDMMC Driver: All Send CID Failed.
    pub const SDMMC_ALL_SEND_CID_FAILED: StatusCode = StatusCode(1805);
    /// `SDMMCSendRelativeAddressFailed` (1806, 0x70e): SDMMC Driver: Send Relative Address Failed.
    pub const SDMMC_SEND_RELATIVE_ADDRESS_FAILED: StatusCode = StatusCode(1806);
    /// `SDMMCSendCsdFailed` (1807, 0x70f): SDMMC Driver: Send CSD Failed.
    pub const SDMMC_SEND_CSD_FAILED: StatusCode = StatusCode(1807);
    /// `SDMMCSelectCardFailed` (1808, 0x710): SDMMC Driver: Select Card Failed.
    pub const SDMMC_SELECT_CARD_FAILED: StatusCode = StatusCode(1808);
    /// `SDMMCSendScrFailed` (1809, 0x711): SDMMC Driver: Send SCR Failed.
    pub const SDMMC_SEND_SCR_FAILED: StatusCode = StatusCode(1809);
    /// `SDMMCSetDataBusWidthFailed` (1810, 0x712): SDMMC Driver: Set Data Bus Width Failed.
    pub const SDMMC_SET_DATA_BUS_WIDTH_FAILED: StatusCode = StatusCode(1810);
    /// `SDMMCGoIdleFailed` (1811, 0x713): SDMMC Driver: Go Idle Failed.
    pub const SDMMC_GO_IDLE_FAILED: StatusCode = StatusCode(1811);
    /// `SDMMCHandShakeOperationConditionFailed` (1812, 0x714): SDMMC Driver: HandShake Operation Condition Failed.
    pub const SDMMC_HANDSHAKE_OPERATION_CONDITION_FAILED: StatusCode = StatusCode(1812);
    /// `SDMMCSendApplicationCommandFailed` (1813, 0x715): SDMMC Driver: Send Application Command Failed.
    pub const SDMMC_SEND_APPLICATION_COMMAND_FAILED: StatusCode = StatusCode(1813);
    /// `SDMMCSwitchFailed` (1814, 0x716): SDMMC Driver: Switch Command Failed.
    pub const SDMMC_SWITCH_FAILED: StatusCode = StatusCode(1814);
    /// `SDMMCStopTransmissionFailed` (1815, 0x717): SDMMC Driver: Stop Transmission Failed.
    pub const SDMMC_STOP_TRANSMISSION_FAILED: StatusCode = StatusCode(1815);
    /// `SDMMCWaitWriteCompleteFailed` (1816, 0x718): SDMMC Driver: Wait Write Complete Failed.
    pub const SDMMC_WAIT_WRITE_COMPLETE_FAILED: StatusCode = StatusCode(1816);
    /// `SDMMCSetBlockCountFailed` (1817, 0x719): SDMMC Driver: Set Block Count Failed.
    pub const SDMMC_SET_BLOCK_COUNT_FAILED: StatusCode = StatusCode(1817);
    /// `SDMMCSetRelativeAddressFailed` (1818, 0x71a): SDMMC Driver: Set Relative Address Failed.
    pub const SDMMC_SET_RELATIVE_ADDRESS_FAILED: StatusCode = StatusCode(1818);
    /// `SDMMCSwitchBusTimingFailed` (1819, 0x71b): SDMMC Driver: Switch Bus Timing Failed.
    pub const SDMMC_SWITCH_BUS_TIMING_FAILED: StatusCode = StatusCode(1819);
    /// `SDMMCSendExtendedCsdFailed` (1820, 0x71c): SDMMC Driver: Send Extended CSD Failed.
    pub const SDMMC_SEND_EXTENDED_CSD_FAILED: StatusCode = StatusCode(1820);
    /// `SDMMCConfigureBootFailed` (1821, 0x71d): SDMMC Driver: Configure Boot Failed.
    pub const SDMMC_CONFIGURE_BOOT_FAILED: StatusCode = StatusCode(1821);
    /// `SDMMCConfigureExtendedCsdFailed` (1822, 0x71e): SDMMC Driver: Configure Extended CSD Failed.
    pub const SDMMC_CONFIGURE_EXTENDED_CSD_FAILED: StatusCode = StatusCode(1822);
    /// `SDMMCEnableHighCapacityEraseFailed` (1823, 0x71f): SDMMC Driver: Enable High Capacity Erase Failed.
    pub const SDMMC_ENABLE_HIGH_CAPACITY_ERASE_FAILED: StatusCode = StatusCode(1823);
    /// `SDMMCSendTestPatternFailed` (1824, 0x720): SDMMC Driver: Send Test Pattern Failed.
    pub const SDMMC_SEND_TEST_PATTERN_FAILED: StatusCode = StatusCode(1824);
    /// `SDMMCReceiveTestPatternFailed` (1825, 0x721): SDMMC Driver: Receive Test Pattern Failed.
    pub const SDMMC_RECEIVE_TEST_PATTERN_FAILED: StatusCode = StatusCode(1825);
    /// `SdmmcSdioResponseError` (1826, 0x722): SDMMC Driver: SDIO Response Error.
    pub const SDMMC_SDIO_RESPONSE_ERROR: StatusCode = StatusCode(1826);
    /// `SdmmcSdioInvalidArgument` (1827, 0x723): SDMMC Driver: SDIO Invalid Argument.
    pub const SDMMC_SDIO_INVALID_ARGUMENT: StatusCode = StatusCode(1827);
    /// `SdmmcSdioSendOperationConditionFail` (1828, 0x724): SDMMC Driver: SDIO Send Operation Condition Failed.
    pub const SDMMC_SDIO_SEND_OPERATION_CONDITION_FAIL: StatusCode = StatusCode(1828);
    /// `SDMMCInvalidVoltage` (1829, 0x725): SDMMC Driver: Invalid Voltage.
    pub const SDMMC_INVALID_VOLTAGE: StatusCode = StatusCode(1829);
    /// `SdmmcSdioSwitchHighSpeedFail` (1830, 0x726): SDMMC Driver: SDIO Switch High Speed Failed.
    pub const SDMMC_SDIO_SWITCH_HIGH_SPEED_FAIL: StatusCode = StatusCode(1830);
    /// `SdmmcSdioReadCisFail` (1831, 0x727): SDMMC Driver: SDIO Read CIS Failed.
    pub const SDMMC_SDIO_READ_CIS_FAIL: StatusCode = StatusCode(1831);
    /// `SdmmcSdioInvalidCard` (1832, 0x728): SDMMC Driver: SDIO Invalid Card.
    pub const SDMMC_SDIO_INVALID_CARD: StatusCode = StatusCode(1832);
    /// `SDMMCTuningFail` (1833, 0x729): SDMMC Driver: Tuning Failed.
    pub const SDMMC_TUNING_FAIL: StatusCode = StatusCode(1833);
    /// `SDMMCSwitchVoltageFail` (1834, 0x72a): SDMMC Driver: Switch Voltage Failed.
    pub const SDMMC_SWITCH_VOLTAGE_FAIL: StatusCode = StatusCode(1834);
    /// `SDMMCReTuningRequest` (1835, 0x72b): SDMMC Driver: Re-Tuning Request.
    pub const SDMMC_RETUNING_REQUEST: StatusCode = StatusCode(1835);
    /// `SDMMCSetDriverStrengthFail` (1836, 0x72c): SDMMC Driver: Set Driver Strength Failed.
    pub const SDMMC_SET_DRIVER_STRENGTH_FAIL: StatusCode = StatusCode(1836);
    /// `SDMMCSetPowerClassFail` (1837, 0x72d): SDMMC Driver: Set Power Class Failed.
    pub const SDMMC_SET_POWER_CLASS_FAIL: StatusCode = StatusCode(1837);
    /// `SDMMCHostNotReady` (1838, 0x72e): SDMMC Driver: Host Controller Not Ready.
    pub const SDMMC_HOST_NOT_READY: StatusCode = StatusCode(1838);
    /// `SDMMCCardDetectFailed` (1839, 0x72f): SDMMC Driver: Card Detect Failed.
    pub const SDMMC_CARD_DETECT_FAILED: StatusCode = StatusCode(1839);
    /// `USDHCBusyTransferring` (6500, 0x1964): USDHC Driver: Busy Transferring.
    pub const USDHC_BUSY_TRANSFERRING: StatusCode = StatusCode(6500);
    /// `USdhcPrepareAdmaDescriptorFailed` (6501, 0x1965): USDHC Driver: Prepare ADMA Descriptor Failed.
    pub const USDHC_PREPARE_ADMA_DESCRIPTOR_FAILED: StatusCode = StatusCode(6501);
    /// `USdhcSendCommandFailed` (6502, 0x1966): USDHC Driver: Send Command Failed.
    pub const USDHC_SEND_COMMAND_FAILED: StatusCode = StatusCode(6502);
    /// `USdhcTransferDataFailed` (6503, 0x1967): USDHC Driver: Transfer Data Failed.
    pub const USDHC_TRANSFER_DATA_FAILED: StatusCode = StatusCode(6503);
    /// `USdhcDMADataAddrNotAlign` (6504, 0x1968): USDHC Driver: DMA Data Address Not Aligned.
    pub const USDHC_DMA_DATA_ADDR_NOT_ALIGN: StatusCode = StatusCode(6504);
    /// `USdhcReTuningRequest` (6505, 0x1969): USDHC Driver: Re-Tuning Request.
    pub const USDHC_RETUNING_REQUEST: StatusCode = StatusCode(6505);
    /// `USdhcTuningError` (6506, 0x196a): USDHC Driver: Tuning Error.
    pub const USDHC_TUNING_ERROR: StatusCode = StatusCode(6506);
    /// `FLEXSPI_SequenceExecutionTimeout` (6000, 0x1770): FLEXSPI: Sequence Execution Timeout.
    pub const FLEXSPI_SEQUENCE_EXECUTION_TIMEOUT_1: StatusCode = StatusCode(6000);
    /// `FLEXSPI_InvalidSequence` (6001, 0x1771): FLEXSPI: Invalid Sequence.
    pub const FLEXSPI_INVALID_SEQUENCE_1: StatusCode = StatusCode(6001);
    /// `FLEXSPI_DeviceTimeout` (6002, 0x1772): FLEXSPI: Device Timeout.
    pub const FLEXSPI_DEVICE_TIMEOUT_1: StatusCode = StatusCode(6002);
    /// `FLEXSPI_SequenceExecutionTimeout` (7000, 0x1b58): FLEXSPI: Sequence Execution Timeout.
    pub const FLEXSPI_SEQUENCE_EXECUTION_TIMEOUT_2: StatusCode = StatusCode(7000);
    /// `FLEXSPI_InvalidSequence` (7001, 0x1b59): FLEXSPI: Invalid Sequence.
    pub const FLEXSPI_INVALID_SEQUENCE_2: StatusCode = StatusCode(7001);
    /// `FLEXSPI_DeviceTimeout` (7002, 0x1b5a): FLEXSPI: Device Timeout.
    pub const FLEXSPI_DEVICE_TIMEOUT_2: StatusCode = StatusCode(7002);
    /// `UnknownCommand` (10000, 0x2710): Unknown Command.
    pub const UNKNOWN_COMMAND: StatusCode = StatusCode(10000);
    /// `SecurityViolation` (10001, 0x2711): Security Violation.
    pub const SECURITY_VIOLATION: StatusCode = StatusCode(10001);
    /// `AbortDataPhase` (10002, 0x2712): Abort Data Phase.
    pub const ABORT_DATA_PHASE: StatusCode = StatusCode(10002);
    /// `PingError` (10003, 0x2713): Ping Error.
    pub const PING_ERROR: StatusCode = StatusCode(10003);
    /// `NoResponse` (10004, 0x2714): No response packet from target device.
    pub const NO_RESPONSE: StatusCode = StatusCode(10004);
    /// `NoResponseExpected` (10005, 0x2715): No Response Expected.
    pub const NO_RESPONSE_EXPECTED: StatusCode = StatusCode(10005);
    /// `UnsupportedCommand` (10006, 0x2716): Unsupported Command.
    pub const UNSUPPORTED_COMMAND: StatusCode = StatusCode(10006);
    /// `RomLdrSectionOverrun` (10100, 0x2774): ROM Loader: Section Overrun.
    pub const ROMLDR_SECTION_OVERRUN: StatusCode = StatusCode(10100);
    /// `RomLdrSignature` (10101, 0x2775): ROM Loader: Signature Error.
    pub const ROMLDR_SIGNATURE: StatusCode = StatusCode(10101);
    /// `RomLdrSectionLength` (10102, 0x2776): ROM Loader: Section Length Error.
    pub const ROMLDR_SECTION_LENGTH: StatusCode = StatusCode(10102);
    /// `RomLdrUnencryptedOnly` (10103, 0x2777): ROM Loader: Unencrypted Only.
    pub const ROMLDR_UNENCRYPTED_ONLY: StatusCode = StatusCode(10103);
    /// `RomLdrEOFReached` (10104, 0x2778): ROM Loader: EOF Reached.
    pub const ROMLDR_EOF_REACHED: StatusCode = StatusCode(10104);
    /// `RomLdrChecksum` (10105, 0x2779): ROM Loader: Checksum Error.
    pub const ROMLDR_CHECKSUM: StatusCode = StatusCode(10105);
    /// `RomLdrCrc32Error` (10106, 0x277a): ROM Loader: CRC32 Error.
    pub const ROMLDR_CRC32_ERROR: StatusCode = StatusCode(10106);
    /// `RomLdrUnknownCommand` (10107, 0x277b): ROM Loader: Unknown Command.
    pub const ROMLDR_UNKNOWN_COMMAND: StatusCode = StatusCode(10107);
    /// `RomLdrIdNotFound` (10108, 0x277c): ROM Loader: ID Not Found.
    pub const ROMLDR_ID_NOT_FOUND: StatusCode = StatusCode(10108);
    /// `RomLdrDataUnderrun` (10109, 0x277d): ROM Loader: Data Underrun.
    pub const ROMLDR_DATA_UNDERRUN: StatusCode = StatusCode(10109);
    /// `RomLdrJumpReturned` (10110, 0x277e): ROM Loader: Jump Returned.
    pub const ROMLDR_JUMP_RETURNED: StatusCode = StatusCode(10110);
    /// `RomLdrCallFailed` (10111, 0x277f): ROM Loader: Call Failed.
    pub const ROMLDR_CALL_FAILED: StatusCode = StatusCode(10111);
    /// `RomLdrKeyNotFound` (10112, 0x2780): ROM Loader: Key Not Found.
    pub const ROMLDR_KEY_NOT_FOUND: StatusCode = StatusCode(10112);
    /// `RomLdrSecureOnly` (10113, 0x2781): ROM Loader: Secure Only.
    pub const ROMLDR_SECURE_ONLY: StatusCode = StatusCode(10113);
    /// `RomLdrResetReturned` (10114, 0x2782): ROM Loader: Reset Returned.
    pub const ROMLDR_RESET_RETURNED: StatusCode = StatusCode(10114);
    /// `RomLdrRollbackBlocked` (10115, 0x2783): ROM Loader: Rollback Blocked.
    pub const ROMLDR_ROLLBACK_BLOCKED: StatusCode = StatusCode(10115);
    /// `RomLdrInvalidSectionMacCount` (10116, 0x2784): ROM Loader: Invalid Section Mac Count.
    pub const ROMLDR_INVALID_SECTION_MAC_COUNT: StatusCode = StatusCode(10116);
    /// `RomLdrUnexpectedCommand` (10117, 0x2785): ROM Loader: Unexpected Command.
    pub const ROMLDR_UNEXPECTED_COMMAND: StatusCode = StatusCode(10117);
    /// `RomLdrBadSBKEK` (10118, 0x2786): ROM Loader: Bad SBKEK Detected.
    pub const ROMLDR_BAD_SBKEK: StatusCode = StatusCode(10118);
    /// `RomLdrPendingJumpCommand` (10119, 0x2787): ROM Loader: Pending Jump Command.
    pub const ROMLDR_PENDING_JUMP_COMMAND: StatusCode = StatusCode(10119);
    /// `RomLdrPendingResetCommand` (10120, 0x2788): ROM Loader: Pending Reset Command.
    pub const ROMLDR_PENDING_RESET_COMMAND: StatusCode = StatusCode(10120);
    /// `MemoryRangeInvalid` (10200, 0x27d8): Memory Range Invalid.
    pub const MEMORY_RANGE_INVALID: StatusCode = StatusCode(10200);
    /// `MemoryReadFailed` (10201, 0x27d9): Memory Read Failed.
    pub const MEMORY_READ_FAILED: StatusCode = StatusCode(10201);
    /// `MemoryWriteFailed` (10202, 0x27da): Memory Write Failed.
    pub const MEMORY_WRITE_FAILED: StatusCode = StatusCode(10202);
    /// `MemoryCumulativeWrite` (10203, 0x27db): Memory Cumulative Write.
    pub const MEMORY_CUMULATIVE_WRITE: StatusCode = StatusCode(10203);
    /// `MemoryAppOverlapWithExecuteOnlyRegion` (10204, 0x27dc): Memory App Overlap with exec region.
    pub const MEMORY_APP_OVERLAP_WITH_EXECUTE_ONLY_REGION: StatusCode = StatusCode(10204);
    /// `MemoryNotConfigured` (10205, 0x27dd): Memory Not Configured.
    pub const MEMORY_NOT_CONFIGURED: StatusCode = StatusCode(10205);
    /// `MemoryAlignmentError` (10206, 0x27de): Memory Alignment Error.
    pub const MEMORY_ALIGNMENT_ERROR: StatusCode = StatusCode(10206);
    /// `MemoryVerifyFailed` (10207, 0x27df): Memory Verify Failed.
    pub const MEMORY_VERIFY_FAILED: StatusCode = StatusCode(10207);
    /// `MemoryWriteProtected` (10208, 0x27e0): Memory Write Protected.
    pub const MEMORY_WRITE_PROTECTED: StatusCode = StatusCode(10208);
    /// `MemoryAddressError` (10209, 0x27e1): Memory Address Error.
    pub const MEMORY_ADDRESS_ERROR: StatusCode = StatusCode(10209);
    /// `MemoryBlankCheckFailed` (10210, 0x27e2): Memory Blank Check Failed.
    pub const MEMORY_BLANK_CHECK_FAILED: StatusCode = StatusCode(10210);
    /// `MemoryBlankPageReadDisallowed` (10211, 0x27e3): Memory Blank Page Read Disallowed.
    pub const MEMORY_BLANK_PAGE_READ_DISALLOWED: StatusCode = StatusCode(10211);
    /// `MemoryProtectedPageReadDisallowed` (10212, 0x27e4): Memory Protected Page Read Disallowed.
    pub const MEMORY_PROTECTED_PAGE_READ_DISALLOWED: StatusCode = StatusCode(10212);
    /// `MemoryPfrSpecRegionWriteBroken` (10213, 0x27e5): Memory PFR Spec Region Write Broken.
    pub const MEMORY_PFR_SPEC_REGION_WRITE_BROKEN: StatusCode = StatusCode(10213);
    /// `MemoryUnsupportedCommand` (10214, 0x27e6): Memory Unsupported Command.
    pub const MEMORY_UNSUPPORTED_COMMAND: StatusCode = StatusCode(10214);
    /// `UnknownProperty` (10300, 0x283c): Unknown Property.
    pub const UNKNOWN_PROPERTY: StatusCode = StatusCode(10300);
    /// `ReadOnlyProperty` (10301, 0x283d): Read Only Property.
    pub const READ_ONLY_PROPERTY: StatusCode = StatusCode(10301);
    /// `InvalidPropertyValue` (10302, 0x283e): Invalid Property Value.
    pub const INVALID_PROPERTY_VALUE: StatusCode = StatusCode(10302);
    /// `AppCrcCheckPassed` (10400, 0x28a0): Application CRC Check: Passed.
    pub const APP_CRC_CHECK_PASSED: StatusCode = StatusCode(10400);
    /// `AppCrcCheckFailed` (10401, 0x28a1): Application: CRC Check: Failed.
    pub const APP_CRC_CHECK_FAILED: StatusCode = StatusCode(10401);
    /// `AppCrcCheckInactive` (10402, 0x28a2): Application CRC Check: Inactive.
    pub const APP_CRC_CHECK_INACTIVE: StatusCode = StatusCode(10402);
    /// `AppCrcCheckInvalid` (10403, 0x28a3): Application CRC Check: Invalid.
    pub const APP_CRC_CHECK_INVALID: StatusCode = StatusCode(10403);
    /// `AppCrcCheckOutOfRange` (10404, 0x28a4): Application CRC Check: Out Of Range.
    pub const APP_CRC_CHECK_OUT_OF_RANGE: StatusCode = StatusCode(10404);
    /// `NoPingResponse` (10500, 0x2904): Packetizer Error: No Ping Response.
    pub const PACKETIZER_NO_PING_RESPONSE: StatusCode = StatusCode(10500);
    /// `InvalidPacketType` (10501, 0x2905): Packetizer Error: No response received for ping command.
    pub const PACKETIZER_INVALID_PACKET_TYPE: StatusCode = StatusCode(10501);
    /// `InvalidCRC` (10502, 0x2906): Packetizer Error: Invalid packet type.
    pub const PACKETIZER_INVALID_CRC: StatusCode = StatusCode(10502);
    /// `NoCommandResponse` (10503, 0x2907): Packetizer Error: No response received for command.
    pub const PACKETIZER_NO_COMMAND_RESPONSE: StatusCode = StatusCode(10503);
    /// `ReliableUpdateSuccess` (10600, 0x2968): Reliable Update: Success.
    pub const RELIABLE_UPDATE_SUCCESS: StatusCode = StatusCode(10600);
    /// `ReliableUpdateFail` (10601, 0x2969): Reliable Update: Fail.
    pub const RELIABLE_UPDATE_FAIL: StatusCode = StatusCode(10601);
    /// `ReliableUpdateInactive` (10602, 0x296a): Reliable Update: Inactive.
    pub const RELIABLE_UPDATE_INACTIVE: StatusCode = StatusCode(10602);
    /// `ReliableUpdateBackupApplicationInvalid` (10603, 0x296b): Reliable Update: Backup Application Invalid.
    pub const RELIABLE_UPDATE_BACKUPAPPLICATIONINVALID: StatusCode = StatusCode(10603);
    /// `ReliableUpdateStillInMainApplication` (10604, 0x296c): Reliable Update: Still In Main Application.
    pub const RELIABLE_UPDATE_STILLINMAINAPPLICATION: StatusCode = StatusCode(10604);
    /// `ReliableUpdateSwapSystemNotReady` (10605, 0x296d): Reliable Update: Swap System Not Ready.
    pub const RELIABLE_UPDATE_SWAPSYSTEMNOTREADY: StatusCode = StatusCode(10605);
    /// `ReliableUpdateBackupBootloaderNotReady` (10606, 0x296e): Reliable Update: Backup Bootloader Not Ready.
    pub const RELIABLE_UPDATE_BACKUPBOOTLOADERNOTREADY: StatusCode = StatusCode(10606);
    /// `ReliableUpdateSwapIndicatorAddressInvalid` (10607, 0x296f): Reliable Update: Swap Indicator Address Invalid.
    pub const RELIABLE_UPDATE_SWAPINDICATORADDRESSINVALID: StatusCode = StatusCode(10607);
    /// `ReliableUpdateSwapSystemNotAvailable` (10608, 0x2970): Reliable Update: Swap System Not Available.
    pub const RELIABLE_UPDATE_SWAPSYSTEMNOTAVAILABLE: StatusCode = StatusCode(10608);
    /// `ReliableUpdateSwapTest` (10609, 0x2971): Reliable Update: Swap Test.
    pub const RELIABLE_UPDATE_SWAPTEST: StatusCode = StatusCode(10609);
    /// `SerialNorEepromAddressInvalid` (10700, 0x29cc): SerialNorEeprom: Address Invalid.
    pub const SERIAL_NOR_EEPROM_ADDRESS_INVALID: StatusCode = StatusCode(10700);
    /// `SerialNorEepromTransferError` (10701, 0x29cd): SerialNorEeprom: Transfer Error.
    pub const SERIAL_NOR_EEPROM_TRANSFER_ERROR: StatusCode = StatusCode(10701);
    /// `SerialNorEepromTypeInvalid` (10702, 0x29ce): SerialNorEeprom: Type Invalid.
    pub const SERIAL_NOR_EEPROM_TYPE_INVALID: StatusCode = StatusCode(10702);
    /// `SerialNorEepromSizeInvalid` (10703, 0x29cf): SerialNorEeprom: Size Invalid.
    pub const SERIAL_NOR_EEPROM_SIZE_INVALID: StatusCode = StatusCode(10703);
    /// `SerialNorEepromCommandInvalid` (10704, 0x29d0): SerialNorEeprom: Command Invalid.
    pub const SERIAL_NOR_EEPROM_COMMAND_INVALID: StatusCode = StatusCode(10704);
    /// `RomApiNeedMoreData` (10801, 0x2a31): RomApi: Need More Data.
    pub const ROM_API_NEED_MORE_DATA: StatusCode = StatusCode(10801);
    /// `RomApiBufferSizeNotEnough` (10802, 0x2a32): RomApi: Buffer Size Not Enough.
    pub const ROM_API_BUFFER_SIZE_NOT_ENOUGH: StatusCode = StatusCode(10802);
    /// `RomApiInvalidBuffer` (10803, 0x2a33): RomApi: Invalid Buffer.
    pub const ROM_API_INVALID_BUFFER: StatusCode = StatusCode(10803);
    /// `FlexSPINANDReadPageFail` (20000, 0x4e20): FlexSPINAND: Read Page Fail.
    pub const FLEXSPINAND_READ_PAGE_FAIL: StatusCode = StatusCode(20000);
    /// `FlexSPINANDReadCacheFail` (20001, 0x4e21): FlexSPINAND: Read Cache Fail.
    pub const FLEXSPINAND_READ_CACHE_FAIL: StatusCode = StatusCode(20001);
    /// `FlexSPINANDEccCheckFail` (20002, 0x4e22): FlexSPINAND: Ecc Check Fail.
    pub const FLEXSPINAND_ECC_CHECK_FAIL: StatusCode = StatusCode(20002);
    /// `FlexSPINANDPageLoadFail` (20003, 0x4e23): FlexSPINAND: Page Load Fail.
    pub const FLEXSPINAND_PAGE_LOAD_FAIL: StatusCode = StatusCode(20003);
    /// `FlexSPINANDPageExecuteFail` (20004, 0x4e24): FlexSPINAND: Page Execute Fail.
    pub const FLEXSPINAND_PAGE_EXECUTE_FAIL: StatusCode = StatusCode(20004);
    /// `FlexSPINANDEraseBlockFail` (20005, 0x4e25): FlexSPINAND: Erase Block Fail.
    pub const FLEXSPINAND_ERASE_BLOCK_FAIL: StatusCode = StatusCode(20005);
    /// `FlexSPINANDWaitTimeout` (20006, 0x4e26): FlexSPINAND: Wait Timeout.
    pub const FLEXSPINAND_WAIT_TIMEOUT: StatusCode = StatusCode(20006);
    /// `SPINANDPageSizeOverTheMaxSupportedSize` (20007, 0x4e27): SPI NAND: PageSize over the max supported size.
    pub const FLEXSPINAND_NOT_SUPPORTED: StatusCode = StatusCode(20007);
    /// `FailedToUpdateFlashConfigBlockToSPINAND` (20008, 0x4e28): SPI NAND: Failed to update Flash config block to SPI NAND.
    pub const FLEXSPINAND_FCB_UPDATE_FAIL: StatusCode = StatusCode(20008);
    /// `Failed to update discovered bad block table to SPI NAND` (20009, 0x4e29): SPI NAND: Failed to update discovered bad block table to SPI NAND.
    pub const FLEXSPINAND_DBBT_UPDATE_FAIL: StatusCode = StatusCode(20009);
    /// `FlexSPINANDWriteAlignmentError` (20010, 0x4e2a): FlexSPINAND: Write Alignment Error.
    pub const FLEXSPINAND_WRITEALIGNMENTERROR: StatusCode = StatusCode(20010);
    /// `FlexSPINANDNotFound` (20011, 0x4e2b): FlexSPINAND: Not Found.
    pub const FLEXSPINAND_NOT_FOUND: StatusCode = StatusCode(20011);
    /// `FLEXSPINORProgramFail` (20100, 0x4e84): FLEXSPINOR: Program Fail.
    pub const FLEXSPINOR_PROGRAM_FAIL: StatusCode = StatusCode(20100);
    /// `FLEXSPINOREraseSectorFail` (20101, 0x4e85): FLEXSPINOR: Erase Sector Fail.
    pub const FLEXSPINOR_ERASE_SECTOR_FAIL: StatusCode = StatusCode(20101);
    /// `FLEXSPINOREraseAllFail` (20102, 0x4e86): FLEXSPINOR: Erase All Fail.
    pub const FLEXSPINOR_ERASE_ALL_FAIL: StatusCode = StatusCode(20102);
    /// `FLEXSPINORWaitTimeout` (20103, 0x4e87): FLEXSPINOR:Wait Timeout.
    pub const FLEXSPINOR_WAIT_TIMEOUT: StatusCode = StatusCode(20103);
    /// `FLEXSPINORPageSizeOverTheMaxSupportedSize` (20104, 0x4e88): FlexSPINOR: PageSize over the max supported size.
    pub const FLEXSPINOR_NOT_SUPPORTED: StatusCode = StatusCode(20104);
    /// `FlexSPINORWriteAlignmentError` (20105, 0x4e89): FlexSPINOR:Write Alignment Error.
    pub const FLEXSPINOR_WRITE_ALIGNMENT_ERROR: StatusCode = StatusCode(20105);
    /// `FlexSPINORCommandFailure` (20106, 0x4e8a): FlexSPINOR: Command Failure.
    pub const FLEXSPINOR_COMMANDFAILURE: StatusCode = StatusCode(20106);
    /// `FlexSPINORSFDPNotFound` (20107, 0x4e8b): FlexSPINOR: SFDP Not Found.
    pub const FLEXSPINOR_SFDP_NOTFOUND: StatusCode = StatusCode(20107);
    /// `FLEXSPINORUnsupportedSFDPVersion` (20108, 0x4e8c): FLEXSPINOR: Unsupported SFDP Version.
    pub const FLEXSPINOR_UNSUPPORTED_SFDP_VERSION: StatusCode = StatusCode(20108);
    /// `FLEXSPINORFlashNotFound` (20109, 0x4e8d): FLEXSPINOR Flash Not Found.
    pub const FLEXSPINOR_FLASH_NOTFOUND: StatusCode = StatusCode(20109);
    /// `FLEXSPINORDTRReadDummyProbeFailed` (20110, 0x4e8e): FLEXSPINOR: DTR Read Dummy Probe Failed.
    pub const FLEXSPINOR_DTR_READ_DUMMYPROBEFAILED: StatusCode = StatusCode(20110);
    /// `OCOTPReadFailure` (20200, 0x4ee8): OCOTP: Read Failure.
    pub const OCOTP_READ_FAILURE: StatusCode = StatusCode(20200);
    /// `OCOTPProgramFailure` (20201, 0x4ee9): OCOTP: Program Failure.
    pub const OCOTP_PROGRAM_FAILURE: StatusCode = StatusCode(20201);
    /// `OCOTPReloadFailure` (20202, 0x4eea): OCOTP: Reload Failure.
    pub const OCOTP_RELOAD_FAILURE: StatusCode = StatusCode(20202);
    /// `OCOTPWaitTimeout` (20203, 0x4eeb): OCOTP: Wait Timeout.
    pub const OCOTP_WAIT_TIMEOUT: StatusCode = StatusCode(20203);
    /// `xSPINORWriteAlignmentError` (20905, 0x51a9): xSPINOR: Write Alignment Error.
    pub const XSPINOR_WRITE_ALIGNMENT_ERROR: StatusCode = StatusCode(20905);
    /// `SemcNOR_DeviceTimeout` (21100, 0x526c): SemcNOR: Device Timeout.
    pub const SEMCNOR_DEVICE_TIMEOUT: StatusCode = StatusCode(21100);
    /// `SemcNOR_InvalidMemoryAddress` (21101, 0x526d): SemcNOR: Invalid Memory Address.
    pub const SEMCNOR_INVALID_MEMORY_ADDRESS: StatusCode = StatusCode(21101);
    /// `SemcNOR_unmatchedCommandSet` (21102, 0x526e): SemcNOR: unmatched Command Set.
    pub const SEMCNOR_UNMATCHED_COMMAND_SET: StatusCode = StatusCode(21102);
    /// `SemcNOR_AddressAlignmentError` (21103, 0x526f): SemcNOR: Address Alignment Error.
    pub const SEMCNOR_ADDRESS_ALIGNMENT_ERROR: StatusCode = StatusCode(21103);
    /// `SemcNOR_InvalidCfiSignature` (21104, 0x5270): SemcNOR: Invalid Cfi Signature.
    pub const SEMCNOR_INVALID_CFI_SIGNATURE: StatusCode = StatusCode(21104);
    /// `SemcNOR_CommandErrorNoOpToSuspend` (21105, 0x5271): SemcNOR: Command Error No Op To Suspend.
    pub const SEMCNOR_COMMAND_ERROR_NO_OP_TO_SUSPEND: StatusCode = StatusCode(21105);
    /// `SemcNOR_CommandErrorNoInfoAvailable` (21106, 0x5272): SemcNOR: Command Error No Info Available.
    pub const SEMCNOR_COMMAND_ERROR_NO_INFO_AVAILABLE: StatusCode = StatusCode(21106);
    /// `SemcNOR_BlockEraseCommandFailure` (21107, 0x5273): SemcNOR: Block Erase Command Failure.
    pub const SEMCNOR_BLOCK_ERASE_COMMAND_FAILURE: StatusCode = StatusCode(21107);
    /// `SemcNOR_BufferProgramCommandFailure` (21108, 0x5274): SemcNOR: Buffer Program Command Failure.
    pub const SEMCNOR_BUFFER_PROGRAM_COMMAND_FAILURE: StatusCode = StatusCode(21108);
    /// `SemcNOR_ProgramVerifyFailure` (21109, 0x5275): SemcNOR: Program Verify Failure.
    pub const SEMCNOR_PROGRAM_VERIFY_FAILURE: StatusCode = StatusCode(21109);
    /// `SemcNOR_EraseVerifyFailure` (21110, 0x5276): SemcNOR: Erase Verify Failure.
    pub const SEMCNOR_ERASE_VERIFY_FAILURE: StatusCode = StatusCode(21110);
    /// `SemcNOR_InvalidCfgTag` (21116, 0x527c): SemcNOR: Invalid Cfg Tag.
    pub const SEMCNOR_INVALID_CFG_TAG: StatusCode = StatusCode(21116);
    /// `SemcNAND_DeviceTimeout` (21200, 0x52d0): SemcNAND: Device Timeout.
    pub const SEMCNAND_DEVICE_TIMEOUT: StatusCode = StatusCode(21200);
    /// `SemcNAND_InvalidMemoryAddress` (21201, 0x52d1): SemcNAND: Invalid Memory Address.
    pub const SEMCNAND_INVALID_MEMORY_ADDRESS: StatusCode = StatusCode(21201);
    /// `SemcNAND_NotEqualToOnePageSize` (21202, 0x52d2): SemcNAND: Not Equal To One Page Size.
    pub const SEMCNAND_NOT_EQUAL_TO_ONE_PAGE_SIZE: StatusCode = StatusCode(21202);
    /// `SemcNAND_MoreThanOnePageSize` (21203, 0x52d3): SemcNAND: More Than One Page Size.
    pub const SEMCNAND_MORE_THAN_ONE_PAGE_SIZE: StatusCode = StatusCode(21203);
    /// `SemcNAND_EccCheckFail` (21204, 0x52d4): SemcNAND: Ecc Check Fail.
    pub const SEMCNAND_ECC_CHECK_FAIL: StatusCode = StatusCode(21204);
    /// `SemcNAND_InvalidOnfiParameter` (21205, 0x52d5): SemcNAND: Invalid Onfi Parameter.
    pub const SEMCNAND_INVALID_ONFI_PARAMETER: StatusCode = StatusCode(21205);
    /// `SemcNAND_CannotEnableDeviceEcc` (21206, 0x52d6): SemcNAND: Cannot Enable Device Ecc.
    pub const SEMCNAND_CANNOT_ENABLE_DEVICE_ECC: StatusCode = StatusCode(21206);
    /// `SemcNAND_SwitchTimingModeFailure` (21207, 0x52d7): SemcNAND: Switch Timing Mode Failure.
    pub const SEMCNAND_SWITCH_TIMING_MODE_FAILURE: StatusCode = StatusCode(21207);
    /// `SemcNAND_ProgramVerifyFailure` (21208, 0x52d8): SemcNAND: Program Verify Failure.
    pub const SEMCNAND_PROGRAM_VERIFY_FAILURE: StatusCode = StatusCode(21208);
    /// `SemcNAND_EraseVerifyFailure` (21209, 0x52d9): SemcNAND: Erase Verify Failure.
    pub const SEMCNAND_ERASE_VERIFY_FAILURE: StatusCode = StatusCode(21209);
    /// `SemcNAND_InvalidReadbackBuffer` (21210, 0x52da): SemcNAND: Invalid Readback Buffer.
    pub const SEMCNAND_INVALID_READBACK_BUFFER: StatusCode = StatusCode(21210);
    /// `SemcNAND_InvalidCfgTag` (21216, 0x52e0): SemcNAND: Invalid Cfg Tag.
    pub const SEMCNAND_INVALID_CFG_TAG: StatusCode = StatusCode(21216);
    /// `SemcNAND_FailToUpdateFcb` (21217, 0x52e1): SemcNAND: Fail To Update Fcb.
    pub const SEMCNAND_FAIL_TO_UPDATE_FCB: StatusCode = StatusCode(21217);
    /// `SemcNAND_FailToUpdateDbbt` (21218, 0x52e2): SemcNAND: Fail To Update Dbbt.
    pub const SEMCNAND_FAIL_TO_UPDATE_DBBT: StatusCode = StatusCode(21218);
    /// `SemcNAND_DisallowOverwriteBcb` (21219, 0x52e3): SemcNAND: Disallow Overwrite Bcb.
    pub const SEMCNAND_DISALLOW_OVERWRITE_BCB: StatusCode = StatusCode(21219);
    /// `SemcNAND_OnlySupportOnfiDevice` (21220, 0x52e4): SemcNAND: Only Support Onfi Device.
    pub const SEMCNAND_ONLY_SUPPORT_ONFI_DEVICE: StatusCode = StatusCode(21220);
    /// `SemcNAND_MoreThanMaxImageCopy` (21221, 0x52e5): SemcNAND: More Than Max Image Copy.
    pub const SEMCNAND_MORE_THAN_MAX_IMAGE_COPY: StatusCode = StatusCode(21221);
    /// `SemcNAND_DisorderedImageCopies` (21222, 0x52e6): SemcNAND: Disordered Image Copies.
    pub const SEMCNAND_DISORDERED_IMAGE_COPIES: StatusCode = StatusCode(21222);
    /// `SPIFINOR_ProgramFail` (22000, 0x55f0): SPIFINOR: Program Fail.
    pub const SPIFINOR_PROGRAM_FAIL: StatusCode = StatusCode(22000);
    /// `SPIFINOR_EraseSectorFail` (22001, 0x55f1): SPIFINOR: Erase Sector Fail.
    pub const SPIFINOR_ERASE_SECTORFAIL: StatusCode = StatusCode(22001);
    /// `SPIFINOR_EraseAllFail` (22002, 0x55f2): SPIFINOR: Erase All Fail.
    pub const SPIFINOR_ERASE_ALL_FAIL: StatusCode = StatusCode(22002);
    /// `SPIFINOR_WaitTimeout` (22003, 0x55f3): SPIFINOR: Wait Timeout.
    pub const SPIFINOR_WAIT_TIMEOUT: StatusCode = StatusCode(22003);
    /// `SPIFINOR_NotSupported` (22004, 0x55f4): SPIFINOR: Not Supported.
    pub const SPIFINOR_NOT_SUPPORTED: StatusCode = StatusCode(22004);
    /// `SPIFINOR_WriteAlignmentError` (22005, 0x55f5): SPIFINOR: Write Alignment Error.
    pub const SPIFINOR_WRITE_ALIGNMENTERROR: StatusCode = StatusCode(22005);
    /// `SPIFINOR_CommandFailure` (22006, 0x55f6): SPIFINOR: Command Failure.
    pub const SPIFINOR_COMMAND_FAILURE: StatusCode = StatusCode(22006);
    /// `SPIFINOR_SFDP_NotFound` (22007, 0x55f7): SPIFINOR: SFDP Not Found.
    pub const SPIFINOR_SFDP_NOT_FOUND: StatusCode = StatusCode(22007);
    /// `EDGELOCK_InvalidResponse` (30000, 0x7530): EDGELOCK: Invalid Response.
    pub const EDGELOCK_INVALID_RESPONSE: StatusCode = StatusCode(30000);
    /// `EDGELOCK_ResponseError` (30001, 0x7531): EDGELOCK: Response Error.
    pub const EDGELOCK_RESPONSE_ERROR: StatusCode = StatusCode(30001);
    /// `EDGELOCK_Abort` (30002, 0x7532): EDGELOCK: Abort.
    pub const EDGELOCK_ABORT: StatusCode = StatusCode(30002);
    /// `EDGELOCK_OperationFailed` (30003, 0x7533): EDGELOCK: Operation Failed.
    pub const EDGELOCK_OPERATION_FAILED: StatusCode = StatusCode(30003);
    /// `EDGELOCK_OTPProgramFailure` (30004, 0x7534): EDGELOCK: OTP Program Failure.
    pub const EDGELOCK_OTP_PROGRAM_FAILURE: StatusCode = StatusCode(30004);
    /// `EDGELOCK_OTPLocked` (30005, 0x7535): EDGELOCK: OTP Locked.
    pub const EDGELOCK_OTP_LOCKED: StatusCode = StatusCode(30005);
    /// `EDGELOCK_OTPInvalidIDX` (30006, 0x7536): EDGELOCK: OTP Invalid IDX.
    pub const EDGELOCK_OTP_INVALID_IDX: StatusCode = StatusCode(30006);
    /// `EDGELOCK_InvalidLifecycle` (30007, 0x7537): EDGELOCK: Invalid Lifecycle.
    pub const EDGELOCK_INVALID_LIFECYCLE: StatusCode = StatusCode(30007);
    /// `OTP_InvalidAddress` (52801, 0xce41): OTP: Invalid OTP address.
    pub const OTP_INVALID_ADDRESS: StatusCode = StatusCode(52801);
    /// `OTP_ProgrammingFail` (52802, 0xce42): OTP: Programming failed.
    pub const OTP_PROGRAM_FAIL: StatusCode = StatusCode(52802);
    /// `OTP_CRCFail` (52803, 0xce43): OTP: CRC check failed.
    pub const OTP_CRC_FAIL: StatusCode = StatusCode(52803);
    /// `OTP_Error` (52804, 0xce44): OTP: Error happened during OTP operation.
    pub const OTP_ERROR: StatusCode = StatusCode(52804);
    /// `OTP_EccCheckFail` (52805, 0xce45): OTP: ECC check failed during OTP operation.
    pub const OTP_ECC_CRC_FAIL: StatusCode = StatusCode(52805);
    /// `OTP_FieldLocked` (52806, 0xce46): OTP: Field is locked when programming.
    pub const OTP_LOCKED: StatusCode = StatusCode(52806);
    /// `OTP_Timeout` (52807, 0xce47): OTP: Operation timed out.
    pub const OTP_TIMEOUT: StatusCode = StatusCode(52807);
    /// `OTP_CRCCheckPass` (52808, 0xce48): OTP: CRC check passed.
    pub const OTP_CRC_CHECK_PASS: StatusCode = StatusCode(52808);
    /// `OPT_VerifyFail` (52009, 0xcb29): OTP: Failed to verify OTP write.
    pub const OTP_VERIFY_FAIL: StatusCode = StatusCode(52009);
    /// `SecuritySubSystemError` (1515890085, 0x5a5aa5a5): Security SubSystem Error.
    pub const SECURITY_SUBSYSTEM_ERROR: StatusCode = StatusCode(1515890085);
    /// `TP_SUCCESS` (0, 0x0): TP: SUCCESS.
    pub const TP_SUCCESS: StatusCode = StatusCode(0);
    /// `TP_GENERAL_ERROR` (80000, 0x13880): TP: General error.
    pub const TP_GENERAL_ERROR: StatusCode = StatusCode(80000);
    /// `TP_CRYPTO_ERROR` (80001, 0x13881): TP: Error during cryptographic operation.
    pub const TP_CRYPTO_ERROR: StatusCode = StatusCode(80001);
    /// `TP_NULLPTR_ERROR` (80002, 0x13882): TP: NULL pointer dereference or when buffer could not be allocated.
    pub const TP_NULLPTR_ERROR: StatusCode = StatusCode(80002);
    /// `TP_ALREADYINITIALIZED` (80003, 0x13883): TP: Already initialized.
    pub const TP_ALREADYINITIALIZED: StatusCode = StatusCode(80003);
    /// `TP_BUFFERSMALL` (80004, 0x13884): TP: Buffer is too small.
    pub const TP_BUFFERSMALL: StatusCode = StatusCode(80004);
    /// `TP_ADDRESS_ERROR` (80005, 0x13885): TP: Address out of allowed range or buffer could not be allocated.
    pub const TP_ADDRESS_ERROR: StatusCode = StatusCode(80005);
    /// `TP_CONTAINERINVALID` (80006, 0x13886): TP: Container header or size is invalid.
    pub const TP_CONTAINERINVALID: StatusCode = StatusCode(80006);
    /// `TP_CONTAINERENTRYINVALID` (80007, 0x13887): TP: Container entry invalid.
    pub const TP_CONTAINERENTRYINVALID: StatusCode = StatusCode(80007);
    /// `TP_CONTAINERENTRYNOTFOUND` (80008, 0x13888): TP: Container entry not found in container.
    pub const TP_CONTAINERENTRYNOTFOUND: StatusCode = StatusCode(80008);
    /// `TP_INVALIDSTATEOPERATION` (80009, 0x13889): TP: Attempt to process command in disallowed state.
    pub const TP_INVALIDSTATEOPERATION: StatusCode = StatusCode(80009);
    /// `TP_COMMAND_ERROR` (80010, 0x1388a): TP: ISP command arguments are invalid.
    pub const TP_COMMAND_ERROR: StatusCode = StatusCode(80010);
    /// `TP_PUF_ERROR` (80011, 0x1388b): TP: PUF operation error.
    pub const TP_PUF_ERROR: StatusCode = StatusCode(80011);
    /// `TP_FLASH_ERROR` (80012, 0x1388c): TP: Flash erase/program/verify_erase failed.
    pub const TP_FLASH_ERROR: StatusCode = StatusCode(80012);
    /// `TP_SECRETBOX_ERROR` (80013, 0x1388d): TP: SBKEK or USER KEK cannot be stored in secret box.
    pub const TP_SECRETBOX_ERROR: StatusCode = StatusCode(80013);
    /// `TP_PFR_ERROR` (80014, 0x1388e): TP: Protected Flash Region operation failed.
    pub const TP_PFR_ERROR: StatusCode = StatusCode(80014);
    /// `TP_VERIFICATION_ERROR` (80015, 0x1388f): TP: Container signature verification failed.
    pub const TP_VERIFICATION_ERROR: StatusCode = StatusCode(80015);
    /// `TP_CFPA_ERROR` (80016, 0x13890): TP: CFPA page cannot be stored.
    pub const TP_CFPA_ERROR: StatusCode = StatusCode(80016);
    /// `TP_CMPA_ERROR` (80017, 0x13891): TP: CMPA page cannot be stored or ROTKH or SECU registers are invalid.
    pub const TP_CMPA_ERROR: StatusCode = StatusCode(80017);
    /// `TP_ADDR_OUT_OF_RANGE` (80018, 0x13892): TP: Address is out of range.
    pub const TP_ADDR_OUT_OF_RANGE: StatusCode = StatusCode(80018);
    /// `TP_CONTAINER_ADDR_ERROR` (80019, 0x13893): TP: Container address in write context is invalid or there is no memory for entry storage.
    pub const TP_CONTAINER_ADDR_ERROR: StatusCode = StatusCode(80019);
    /// `TP_CONTAINER_ADDR_UNALIGNED` (80020, 0x13894): TP: Container address in read context is unaligned.
    pub const TP_CONTAINER_ADDR_UNALIGNED: StatusCode = StatusCode(80020);
    /// `TP_CONTAINER_BUFF_SMALL` (80021, 0x13895): TP: There is not enough memory to store the container.
    pub const TP_CONTAINER_BUFF_SMALL: StatusCode = StatusCode(80021);
    /// `TP_CONTAINER_NO_ENTRY` (80022, 0x13896): TP: Attempt to sign an empty container.
    pub const TP_CONTAINER_NO_ENTRY: StatusCode = StatusCode(80022);
    /// `TP_CERT_ADDR_ERROR` (80023, 0x13897): TP: Destination address of OEM certificate is invalid.
    pub const TP_CERT_ADDR_ERROR: StatusCode = StatusCode(80023);
    /// `TP_CERT_ADDR_UNALIGNED` (80024, 0x13898): TP: Destination address of certificate is unaligned.
    pub const TP_CERT_ADDR_UNALIGNED: StatusCode = StatusCode(80024);
    /// `TP_CERT_OVERLAPPING` (80025, 0x13899): TP: OEM certificates are overlapping due to wrong destination addresses.
    pub const TP_CERT_OVERLAPPING: StatusCode = StatusCode(80025);
    /// `TP_PACKET_ERROR` (80026, 0x1389a): TP: Error during packet sending/receiving.
    pub const TP_PACKET_ERROR: StatusCode = StatusCode(80026);
    /// `TP_PACKET_DATA_ERROR` (80027, 0x1389b): TP: Data in packet handle are invalid.
    pub const TP_PACKET_DATA_ERROR: StatusCode = StatusCode(80027);
    /// `TP_UNKNOWN_COMMAND` (80028, 0x1389c): TP: Unknown command was received.
    pub const TP_UNKNOWN_COMMAND: StatusCode = StatusCode(80028);
    /// `TP_SB3_FILE_ERROR` (80029, 0x1389d): TP: Error during processing SB3 file.
    pub const TP_SB3_FILE_ERROR: StatusCode = StatusCode(80029);
    /// `TP_GENERAL_CRITICAL_ERROR` (80101, 0x138e5): TP: Critical error.
    pub const TP_GENERAL_CRITICAL_ERROR: StatusCode = StatusCode(80101);
    /// `TP_CRYPTO_CRITICAL_ERROR` (80102, 0x138e6): TP: Error of crypto module which prevents proper functionality.
    pub const TP_CRYPTO_CRITICAL_ERROR: StatusCode = StatusCode(80102);
    /// `TP_PUF_CRITICAL_ERROR` (80103, 0x138e7): TP: Initialization or start of the PUF periphery failed.
    pub const TP_PUF_CRITICAL_ERROR: StatusCode = StatusCode(80103);
    /// `TP_PFR_CRITICAL_ERROR` (80104, 0x138e8): TP: Initialization of PFR or reading of activation code failed.
    pub const TP_PFR_CRITICAL_ERROR: StatusCode = StatusCode(80104);
    /// `TP_PERIPHERAL_CRITICAL_ERROR` (80105, 0x138e9): TP: Peripheral failure.
    pub const TP_PERIPHERAL_CRITICAL_ERROR: StatusCode = StatusCode(80105);
    /// `TP_PRINCE_CRITICAL_ERROR` (80106, 0x138ea): TP: Error during PRINCE encryption/decryption.
    pub const TP_PRINCE_CRITICAL_ERROR: StatusCode = StatusCode(80106);
    /// `TP_SHA_CHECK_CRITICAL_ERROR` (80107, 0x138eb): TP: SHA check verification failed.
    pub const TP_SHA_CHECK_CRITICAL_ERROR: StatusCode = StatusCode(80107);
    /// `IAP_InvalidArgument` (100001, 0x186a1): IAP: Invalid argument detected during API execution.
    pub const IAP_INVALID_ARGUMENT: StatusCode = StatusCode(100001);
    /// `IAP_OutOfMemory` (100002, 0x186a2): IAP: Heap Size Not Large Enough During API Execution.
    pub const IAP_OUT_OF_MEMORY: StatusCode = StatusCode(100002);
    /// `IAP_ReadDisallowed ` (100003, 0x186a3): IAP: Read Memory Operation Disallowed During API Execution.
    pub const IAP_READ_DISALLOWED: StatusCode = StatusCode(100003);
    /// `IAP_CumulativeWrite` (100004, 0x186a4): IAP: Flash Memory Region To Be Programmed Is Not Empty.
    pub const IAP_CUMULATIVE_WRITE: StatusCode = StatusCode(100004);
    /// `IAP_EraseFailure` (100005, 0x186a5): IAP: Erase Operation Failed.
    pub const IAP_ERASE_FAILURE: StatusCode = StatusCode(100005);
    /// `IAP_CommandNotSupported` (100006, 0x186a6): IAP: Specific Command Not Supported.
    pub const IAP_COMMAND_NOT_SUPPORTED: StatusCode = StatusCode(100006);
    /// `IAP_MemoryAccessDisabled` (100007, 0x186a7): IAP: Memory Access Disabled.
    pub const IAP_MEMORY_ACCESS_DISABLED: StatusCode = StatusCode(100007);
    /// `EL2GO_FW_PASS` (1515870810, 0x5a5a5a5a): Device has been successfully provisioned..
    pub const EL2GO_PROV_SUCCESS: StatusCode = StatusCode(1515870810);
    /// `STATUS_GET_DEVICE_SHARES_FAIL` (2768290048, 0xa500c100): STATUS_GET_DEVICE_SHARES_FAIL: Failure in reading out device shares.
    pub const STATUS_GET_DEVICE_SHARES_FAIL: StatusCode = StatusCode(2768290048);
    /// `STATUS_KEY_DERIVATION_1_FAIL` (2768290304, 0xa500c200): STATUS_KEY_DERIVATION_1_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_1_FAIL: StatusCode = StatusCode(2768290304);
    /// `STATUS_KEY_DERIVATION_2_FAIL` (2768290560, 0xa500c300): STATUS_KEY_DERIVATION_2_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_2_FAIL: StatusCode = StatusCode(2768290560);
    /// `STATUS_KEY_DERIVATION_3_FAIL` (2768290816, 0xa500c400): STATUS_KEY_DERIVATION_3_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_3_FAIL: StatusCode = StatusCode(2768290816);
    /// `STATUS_KEY_DERIVATION_4_FAIL` (2768291072, 0xa500c500): STATUS_KEY_DERIVATION_4_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_4_FAIL: StatusCode = StatusCode(2768291072);
    /// `STATUS_KEY_DERIVATION_5_FAIL` (2768291328, 0xa500c600): STATUS_KEY_DERIVATION_5_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_5_FAIL: StatusCode = StatusCode(2768291328);
    /// `STATUS_KEY_DERIVATION_6_FAIL` (2768291584, 0xa500c700): STATUS_KEY_DERIVATION_6_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_6_FAIL: StatusCode = StatusCode(2768291584);
    /// `STATUS_KEY_DERIVATION_7_FAIL` (2768292608, 0xa500cb00): STATUS_KEY_DERIVATION_7_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_7_FAIL: StatusCode = StatusCode(2768292608);
    /// `STATUS_KEY_DERIVATION_8_FAIL` (1962987539, 0x7500d013): STATUS_KEY_DERIVATION_8_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_8_FAIL: StatusCode = StatusCode(1962987539);
    /// `STATUS_KEY_DERIVATION_9_FAIL` (1962987540, 0x7500d014): STATUS_KEY_DERIVATION_9_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_9_FAIL: StatusCode = StatusCode(1962987540);
    /// `STATUS_KEY_DERIVATION_10_FAIL` (2768291840, 0xa500c800): STATUS_KEY_DERIVATION_10_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_10_FAIL: StatusCode = StatusCode(2768291840);
    /// `STATUS_KEY_DERIVATION_11_FAIL` (2768292609, 0xa500cb01): STATUS_KEY_DERIVATION_11_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_11_FAIL: StatusCode = StatusCode(2768292609);
    /// `STATUS_KEY_DERIVATION_12_FAIL` (2768292610, 0xa500cb02): STATUS_KEY_DERIVATION_12_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_12_FAIL: StatusCode = StatusCode(2768292610);
    /// `STATUS_KEY_DERIVATION_13_FAIL` (2768292357, 0xa500ca05): STATUS_KEY_DERIVATION_13_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_13_FAIL: StatusCode = StatusCode(2768292357);
    /// `STATUS_KEY_DERIVATION_14_FAIL` (2768292358, 0xa500ca06): STATUS_KEY_DERIVATION_14_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_14_FAIL: StatusCode = StatusCode(2768292358);
    /// `STATUS_KEY_DERIVATION_15_FAIL` (2768292615, 0xa500cb07): STATUS_KEY_DERIVATION_15_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_15_FAIL: StatusCode = StatusCode(2768292615);
    /// `STATUS_KEY_DERIVATION_16_FAIL` (2768292616, 0xa500cb08): STATUS_KEY_DERIVATION_16_FAIL: Failure in key derivation.
    pub const STATUS_KEY_DERIVATION_16_FAIL: StatusCode = StatusCode(2768292616);
    /// `STATUS_DELETE_KEY_FAIL` (1962985728, 0x7500c900): STATUS_DELETE_KEY_FAIL: Failure in key deletion.
    pub const STATUS_DELETE_KEY_FAIL: StatusCode = StatusCode(1962985728);
    /// `STATUS_READ_DEVICE_SHARES_FAIL` (2768292352, 0xa500ca00): STATUS_READ_DEVICE_SHARES_FAIL.
    pub const STATUS_READ_DEVICE_SHARES_FAIL: StatusCode = StatusCode(2768292352);
    /// `STATUS_PARSE_BLOB_1_FAIL` (2768293889, 0xa500d001): STATUS_PARSE_BLOB_1_FAIL: Failure in parsing an EdgeLock 2GO's Secure Object fields.
    pub const STATUS_PARSE_BLOB_1_FAIL: StatusCode = StatusCode(2768293889);
    /// `STATUS_PARSE_BLOB_2_FAIL` (2768292613, 0xa500cb05): STATUS_PARSE_BLOB_2_FAIL: Failure in parsing an EdgeLock 2GO's Secure Object fields.
    pub const STATUS_PARSE_BLOB_2_FAIL: StatusCode = StatusCode(2768292613);
    /// `STATUS_VERIFY_BLOB_1_FAILED` (2768293890, 0xa500d002): STATUS_VERIFY_BLOB_1_FAILED: Failure in verifying an EdgeLock 2GO's Secure Object.
    pub const STATUS_VERIFY_BLOB_1_FAILED: StatusCode = StatusCode(2768293890);
    /// `STATUS_VERIFY_BLOB_2_FAILED` (2768293891, 0xa500d003): STATUS_VERIFY_BLOB_2_FAILED: Failure in verifying an EdgeLock 2GO's Secure Object.
    pub const STATUS_VERIFY_BLOB_2_FAILED: StatusCode = StatusCode(2768293891);
    /// `STATUS_VERIFY_BLOB_3_FAILED` (2768292617, 0xa500cb09): STATUS_VERIFY_BLOB_3_FAILED: Failure in verifying an EdgeLock 2GO's Secure Object.
    pub const STATUS_VERIFY_BLOB_3_FAILED: StatusCode = StatusCode(2768292617);
    /// `STATUS_VALID_LCS_FAIL` (1962987536, 0x7500d010): STATUS_VALID_LCS_FAIL: Not valid device lifecycle.
    pub const STATUS_VALID_LCS_FAIL: StatusCode = StatusCode(1962987536);
    /// `STATUS_BLANK_DEVICE_FUSES_1` (1962987537, 0x7500d011): STATUS_BLANK_DEVICE_FUSES_1: Blank Device fuses.
    pub const STATUS_BLANK_DEVICE_FUSES_1: StatusCode = StatusCode(1962987537);
    /// `STATUS_BLANK_DEVICE_FUSES_2` (1962987538, 0x7500d012): STATUS_BLANK_DEVICE_FUSES_2: Blank Device fuses.
    pub const STATUS_BLANK_DEVICE_FUSES_2: StatusCode = StatusCode(1962987538);
    /// `STATUS_KEY_USAGE_1_FAIL` (1962991872, 0x7500e100): STATUS_KEY_USAGE_1_FAIL: Failure in using an EdgeLock 2GO's Secure Object key.
    pub const STATUS_KEY_USAGE_1_FAIL: StatusCode = StatusCode(1962991872);
    /// `STATUS_KEY_USAGE_2_FAIL` (1962992128, 0x7500e200): STATUS_KEY_USAGE_2_FAIL: Failure in using an EdgeLock 2GO's Secure Object key.
    pub const STATUS_KEY_USAGE_2_FAIL: StatusCode = StatusCode(1962992128);
    /// `STATUS_NON_BLANK_DEVICE_FUSES_1_FAIL` (1962992384, 0x7500e300): STATUS_NON_BLANK_DEVICE_FUSES_1_FAIL: Non blank Device fuses.
    pub const STATUS_NON_BLANK_DEVICE_FUSES_1_FAIL: StatusCode = StatusCode(1962992384);
    /// `STATUS_NON_BLANK_DEVICE_FUSES_2_FAIL` (1962992640, 0x7500e400): STATUS_NON_BLANK_DEVICE_FUSES_2_FAIL: Non blank Device fuses.
    pub const STATUS_NON_BLANK_DEVICE_FUSES_2_FAIL: StatusCode = StatusCode(1962992640);
    /// `STATUS_WRITE_DEVICE_FUSES_1_FAIL` (1962992896, 0x7500e500): STATUS_WRITE_DEVICE_FUSES_1_FAIL: Failure in programming Device fuses.
    pub const STATUS_WRITE_DEVICE_FUSES_1_FAIL: StatusCode = StatusCode(1962992896);
    /// `STATUS_WRITE_DEVICE_FUSES_2_FAIL` (1962993152, 0x7500e600): STATUS_WRITE_DEVICE_FUSES_2_FAIL: Failure in programming Device fuses.
    pub const STATUS_WRITE_DEVICE_FUSES_2_FAIL: StatusCode = StatusCode(1962993152);
    /// `STATUS_WRITE_DEVICE_FUSES_3_FAIL` (1962993408, 0x7500e700): STATUS_WRITE_DEVICE_FUSES_3_FAIL: Failure in programming Device fuses.
    pub const STATUS_WRITE_DEVICE_FUSES_3_FAIL: StatusCode = StatusCode(1962993408);
    /// `STATUS_READ_DEVICE_FUSES_1_FAIL` (1962993664, 0x7500e800): STATUS_READ_DEVICE_FUSES_1_FAIL: Failure in reading out Device fuses.
    pub const STATUS_READ_DEVICE_FUSES_1_FAIL: StatusCode = StatusCode(1962993664);
    /// `STATUS_READ_DEVICE_FUSES_2_FAIL` (1962993920, 0x7500e900): STATUS_READ_DEVICE_FUSES_2_FAIL: Failure in reading out Device fuses.
    pub const STATUS_READ_DEVICE_FUSES_2_FAIL: StatusCode = StatusCode(1962993920);
    /// `STATUS_ATTR_OEM_KEY_MAGIC_FAIL` (2768304811, 0xa500faab): STATUS_ATTR_OEM_KEY_MAGIC_FAIL: Invalid OEM FW Decryption key Secure Object's magic value.
    pub const STATUS_ATTR_OEM_KEY_MAGIC_FAIL: StatusCode = StatusCode(2768304811);
    /// `STATUS_ATTR_OEM_KEY_USAGE_FAIL` (2768304826, 0xa500faba): STATUS_ATTR_OEM_KEY_USAGE_FAIL: Invalid OEM FW Decryption key Secure Object's key usage value.
    pub const STATUS_ATTR_OEM_KEY_USAGE_FAIL: StatusCode = StatusCode(2768304826);
    /// `STATUS_ATTR_OEM_DEVICE_LCS_FAIL` (2768305082, 0xa500fbba): STATUS_ATTR_OEM_DEVICE_LCS_FAIL: Invalid OEM FW Decryption key Secure Object's device lifecycle value.
    pub const STATUS_ATTR_OEM_DEVICE_LCS_FAIL: StatusCode = StatusCode(2768305082);
    /// `STATUS_ATTR_OEM_DEVICE_WRAPP_ALG_FAIL` (2768941312, 0xa50ab100): STATUS_ATTR_OEM_DEVICE_WRAPP_ALG_FAIL: Invalid OEM FW Decryption key Secure Object's wrapping algorithm value.
    pub const STATUS_ATTR_OEM_DEVICE_WRAPP_ALG_FAIL: StatusCode = StatusCode(2768941312);
    /// `STATUS_ATTR_OEM_DEVICE_SIGN_ALG_FAIL` (2768941568, 0xa50ab200): STATUS_ATTR_OEM_DEVICE_SIGN_ALG_FAIL: Invalid OEM FW Decryption key Secure Object's signing algorithm value.
    pub const STATUS_ATTR_OEM_DEVICE_SIGN_ALG_FAIL: StatusCode = StatusCode(2768941568);
    /// `STATUS_ATTR_OEM_KEY_LCS_FAIL` (2768941824, 0xa50ab300): STATUS_ATTR_OEM_KEY_LCS_FAIL: Invalid OEM FW Decryption key Secure Object's key lifecycle value.
    pub const STATUS_ATTR_OEM_KEY_LCS_FAIL: StatusCode = StatusCode(2768941824);
    /// `STATUS_ATTR_OEM_KEY_ALG_FAIL` (2768942080, 0xa50ab400): STATUS_ATTR_OEM_KEY_ALG_FAIL: Invalid OEM FW Decryption key Secure Object's key algorithm value.
    pub const STATUS_ATTR_OEM_KEY_ALG_FAIL: StatusCode = StatusCode(2768942080);
    /// `STATUS_ATTR_RKTH_MAGIC_FAIL` (2768942336, 0xa50ab500): STATUS_ATTR_RKTH_MAGIC_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's magic value.
    pub const STATUS_ATTR_RKTH_MAGIC_FAIL: StatusCode = StatusCode(2768942336);
    /// `STATUS_ATTR_RKTH_KEY_ALG_FAIL` (2768942592, 0xa50ab600): STATUS_ATTR_RKTH_KEY_ALG_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's key algorithm value.
    pub const STATUS_ATTR_RKTH_KEY_ALG_FAIL: StatusCode = StatusCode(2768942592);
    /// `STATUS_ATTR_RKTH_KEY_USAGE_FAIL` (2768942848, 0xa50ab700): STATUS_ATTR_RKTH_KEY_USAGE_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's key usage value.
    pub const STATUS_ATTR_RKTH_KEY_USAGE_FAIL: StatusCode = StatusCode(2768942848);
    /// `STATUS_ATTR_RKTH_KEY_LCS_FAIL` (2768943104, 0xa50ab800): STATUS_ATTR_RKTH_KEY_LCS_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's key lifecycle value.
    pub const STATUS_ATTR_RKTH_KEY_LCS_FAIL: StatusCode = StatusCode(2768943104);
    /// `STATUS_ATTR_RKTH_DEVICE_LCS_FAIL` (2768943360, 0xa50ab900): STATUS_ATTR_RKTH_DEVICE_LCS_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's device lifecycle value.
    pub const STATUS_ATTR_RKTH_DEVICE_LCS_FAIL: StatusCode = StatusCode(2768943360);
    /// `STATUS_ATTR_RKTH_DEVICE_WRAPP_KEY_ID_FAIL` (2768943616, 0xa50aba00): STATUS_ATTR_RKTH_DEVICE_WRAPP_KEY_ID_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's wrapping key ID value.
    pub const STATUS_ATTR_RKTH_DEVICE_WRAPP_KEY_ID_FAIL: StatusCode = StatusCode(2768943616);
    /// `STATUS_ATTR_RKTH_KEY_SIGN_ALG_FAIL` (2768943872, 0xa50abb00): STATUS_ATTR_RKTH_KEY_SIGN_ALG_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's signing algorithm value.
    pub const STATUS_ATTR_RKTH_KEY_SIGN_ALG_FAIL: StatusCode = StatusCode(2768943872);
    /// `STATUS_ATTR_RKTH_DEVICE_WRAPP_ALG_FAIL` (2768944128, 0xa50abc00): STATUS_ATTR_RKTH_DEVICE_WRAPP_ALG_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's wrapping algorithm value.
    pub const STATUS_ATTR_RKTH_DEVICE_WRAPP_ALG_FAIL: StatusCode = StatusCode(2768944128);
    /// `STATUS_ATTR_RKTH_DEVICE_SING_KEY_ID_FAIL` (2768944384, 0xa50abd00): STATUS_ATTR_RKTH_DEVICE_SING_KEY_ID_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's signing key ID value.
    pub const STATUS_ATTR_RKTH_DEVICE_SING_KEY_ID_FAIL: StatusCode = StatusCode(2768944384);
    /// `STATUS_ATTR_BLOB_KEY_ID_FAIL` (2768944896, 0xa50abf00): STATUS_ATTR_BLOB_KEY_ID_FAIL: Invalid Secure Object's key ID value.
    pub const STATUS_ATTR_BLOB_KEY_ID_FAIL: StatusCode = StatusCode(2768944896);
    /// `STATUS_ATTR_OEM_DEVICE_WRAPP_KEY_ID_FAIL` (2768942337, 0xa50ab501): STATUS_ATTR_OEM_DEVICE_WRAPP_KEY_ID_FAIL: Invalid OEM FW Decryption key Secure Object's wrapping key ID value.
    pub const STATUS_ATTR_OEM_DEVICE_WRAPP_KEY_ID_FAIL: StatusCode = StatusCode(2768942337);
    /// `STATUS_ATTR_OEM_DEVICE_SING_KEY_ID_FAIL` (2768942338, 0xa50ab502): STATUS_ATTR_OEM_DEVICE_SING_KEY_ID_FAIL: Invalid OEM FW Decryption key Secure Object's signing key ID value.
    pub const STATUS_ATTR_OEM_DEVICE_SING_KEY_ID_FAIL: StatusCode = StatusCode(2768942338);
    /// `STATUS_ATTR_OEM_DEVICE_KEY_TYPE_FAIL` (2768942339, 0xa50ab503): STATUS_ATTR_OEM_DEVICE_KEY_TYPE_FAIL: Invalid OEM FW Decryption key Secure Object's key type value.
    pub const STATUS_ATTR_OEM_DEVICE_KEY_TYPE_FAIL: StatusCode = StatusCode(2768942339);
    /// `STATUS_ATTR_OEM_DEVICE_KEY_BITS_FAIL` (2768942340, 0xa50ab504): STATUS_ATTR_OEM_DEVICE_KEY_BITS_FAIL: Invalid OEM FW Decryption key Secure Object's key bits value.
    pub const STATUS_ATTR_OEM_DEVICE_KEY_BITS_FAIL: StatusCode = StatusCode(2768942340);
    /// `STATUS_ATTR_RKTH_KEY_TYPE_FAIL` (2768942341, 0xa50ab505): STATUS_ATTR_RKTH_KEY_TYPE_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's key type value.
    pub const STATUS_ATTR_RKTH_KEY_TYPE_FAIL: StatusCode = StatusCode(2768942341);
    /// `STATUS_ATTR_RKTH_KEY_BITS_FAIL` (2768942342, 0xa50ab506): STATUS_ATTR_RKTH_KEY_BITS_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's key bits value.
    pub const STATUS_ATTR_RKTH_KEY_BITS_FAIL: StatusCode = StatusCode(2768942342);
    /// `STATUS_ATTR_OTP_DATA_MAGIC_FAIL` (2768942343, 0xa50ab507): STATUS_ATTR_OTP_DATA_MAGIC_FAIL: Invalid OTP Configuration Data Secure Object's magic value.
    pub const STATUS_ATTR_OTP_DATA_MAGIC_FAIL: StatusCode = StatusCode(2768942343);
    /// `STATUS_ATTR_OTP_DATA_KEY_ALG_FAIL` (2768942344, 0xa50ab508): STATUS_ATTR_OTP_DATA_KEY_ALG_FAIL: Invalid OTP Configuration Data Secure Object's key algorithm value.
    pub const STATUS_ATTR_OTP_DATA_KEY_ALG_FAIL: StatusCode = StatusCode(2768942344);
    /// `STATUS_ATTR_OTP_DATA_KEY_USAGE_FAIL` (2768942345, 0xa50ab509): STATUS_ATTR_OTP_DATA_KEY_USAGE_FAIL: Invalid OTP Configuration Data Secure Object's key usage value.
    pub const STATUS_ATTR_OTP_DATA_KEY_USAGE_FAIL: StatusCode = StatusCode(2768942345);
    /// `STATUS_ATTR_OTP_DATA_KEY_TYPE_FAIL` (2768942346, 0xa50ab50a): STATUS_ATTR_OTP_DATA_KEY_TYPE_FAIL: Invalid OTP Configuration Data Secure Object's key type value.
    pub const STATUS_ATTR_OTP_DATA_KEY_TYPE_FAIL: StatusCode = StatusCode(2768942346);
    /// `STATUS_ATTR_OTP_DATA_KEY_LCS_FAIL` (2768942347, 0xa50ab50b): STATUS_ATTR_OTP_DATA_KEY_LCS_FAIL: Invalid OTP Configuration Data Secure Object's key lifecycle value.
    pub const STATUS_ATTR_OTP_DATA_KEY_LCS_FAIL: StatusCode = StatusCode(2768942347);
    /// `STATUS_ATTR_OTP_DATA_DEVICE_LCS_FAIL` (2768942348, 0xa50ab50c): STATUS_ATTR_OTP_DATA_DEVICE_LCS_FAIL: Invalid OTP Configuration Data Secure Object's device lifecycle value.
    pub const STATUS_ATTR_OTP_DATA_DEVICE_LCS_FAIL: StatusCode = StatusCode(2768942348);
    /// `STATUS_ATTR_OTP_DATA_DEVICE_WRAPP_KEY_ID_FAIL` (2768942349, 0xa50ab50d): STATUS_ATTR_OTP_DATA_DEVICE_WRAPP_KEY_ID_FAIL: Invalid OTP Configuration Data Secure Object's wrapping key ID value.
    pub const STATUS_ATTR_OTP_DATA_DEVICE_WRAPP_KEY_ID_FAIL: StatusCode = StatusCode(2768942349);
    /// `STATUS_ATTR_OTP_DATA_DEVICE_WRAPP_ALG_FAIL` (2768942350, 0xa50ab50e): STATUS_ATTR_OTP_DATA_DEVICE_WRAPP_ALG_FAIL: Invalid OTP Configuration Data Secure Object's wrapping algorithm value..
    pub const STATUS_ATTR_OTP_DATA_DEVICE_WRAPP_ALG_FAIL: StatusCode = StatusCode(2768942350);
    /// `STATUS_ATTR_OTP_DATA_DEVICE_SING_KEY_ID_FAIL` (2768942351, 0xa50ab50f): STATUS_ATTR_OTP_DATA_DEVICE_SING_KEY_ID_FAIL: Invalid OTP Configuration Data Secure Object's signing key ID value.
    pub const STATUS_ATTR_OTP_DATA_DEVICE_SING_KEY_ID_FAIL: StatusCode = StatusCode(2768942351);
    /// `STATUS_ATTR_OTP_DATA_KEY_SIGN_ALG_FAIL` (2768942352, 0xa50ab510): STATUS_ATTR_OTP_DATA_KEY_SIGN_ALG_FAIL: Invalid OTP Configuration Data Secure Object's signing algorithm value.
    pub const STATUS_ATTR_OTP_DATA_KEY_SIGN_ALG_FAIL: StatusCode = StatusCode(2768942352);
    /// `STATUS_LESS_BLOBS_STORED` (2768942353, 0xa50ab511): STATUS_LESS_BLOBS_STORED: Three main Secure Object are not present in Flash memory.
    pub const STATUS_LESS_BLOBS_STORED: StatusCode = StatusCode(2768942353);
    /// `STATUS_VALID_MEMORY_USE_OVERFLOW` (1963635986, 0x750ab512): STATUS_VALID_MEMORY_USE_OVERFLOW: Memory overflow.
    pub const STATUS_VALID_MEMORY_USE_OVERFLOW: StatusCode = StatusCode(1963635986);
    /// `STATUS_DECRYPT_EXT_BLOB_1_FAIL` (2768942355, 0xa50ab513): STATUS_DECRYPT_EXT_BLOB_1_FAIL: Failure in decrypting external Secure Objects's key payload.
    pub const STATUS_DECRYPT_EXT_BLOB_1_FAIL: StatusCode = StatusCode(2768942355);
    /// `STATUS_DECRYPT_EXT_BLOB_2_FAIL` (2768292618, 0xa500cb0a): STATUS_DECRYPT_EXT_BLOB_2_FAIL: Failure in decrypting external Secure Objects's key payload.
    pub const STATUS_DECRYPT_EXT_BLOB_2_FAIL: StatusCode = StatusCode(2768292618);
    /// `STATUS_LOCK_DEVICE_FUSE_FAIL` (1963635988, 0x750ab514): STATUS_LOCK_DEVICE_FUSE_FAIL: Failure in locking Device fuse.
    pub const STATUS_LOCK_DEVICE_FUSE_FAIL: StatusCode = StatusCode(1963635988);
    /// `STATUS_VALID_DER_LCS_FAIL` (2768942357, 0xa50ab515): STATUS_VALID_DER_LCS_FAIL Invalid device lifecycle.
    pub const STATUS_VALID_DER_LCS_FAIL: StatusCode = StatusCode(2768942357);
    /// `STATUS_NULL_POINTER_FAIL` (1963635990, 0x750ab516): STATUS_NULL_POINTER_FAIL: Null pointer error.
    pub const STATUS_NULL_POINTER_FAIL: StatusCode = StatusCode(1963635990);
    /// `STATUS_INVALID_RKTH_SIZE_FAIL` (2768942359, 0xa50ab517): STATUS_INVALID_RKTH_SIZE_FAIL: Invalid OEM FW Authentication Key Hash size.
    pub const STATUS_INVALID_RKTH_SIZE_FAIL: StatusCode = StatusCode(2768942359);
    /// `STATUS_NO_BLOB_IN_ADDRESS` (2768942360, 0xa50ab518): STATUS_NO_BLOB_IN_ADDRESS: No Secure Object present in given Flash memory address.
    pub const STATUS_NO_BLOB_IN_ADDRESS: StatusCode = StatusCode(2768942360);
    /// `STATUS_SECURE_BOOT_NOT_EN` (1963635991, 0x750ab517): STATUS_SECURE_BOOT_NOT_EN: Device Secure Boot not enabled.
    pub const STATUS_SECURE_BOOT_NOT_EN: StatusCode = StatusCode(1963635991);
    /// `STATUS_ATTACK_DRY_RUN_EN` (1963635992, 0x750ab518): STATUS_ATTACK_DRY_RUN_EN.
    pub const STATUS_ATTACK_DRY_RUN_EN: StatusCode = StatusCode(1963635992);
    /// `STATUS_BUFFER_OVERFLOW_OTP_CONF` (1963635993, 0x750ab519): STATUS_BUFFER_OVERFLOW_OTP_CONF: Buffer overflow error.
    pub const STATUS_BUFFER_OVERFLOW_OTP_CONF: StatusCode = StatusCode(1963635993);
    /// `STATUS_DEVICE_NOT_IN_FLEXSPI_BOOT_MODE` (1963635994, 0x750ab51a): STATUS_DEVICE_NOT_IN_FLEXSPI_BOOT_MODE: Device is booted not in FlexSPI Boot mode.
    pub const STATUS_DEVICE_NOT_IN_FLEXSPI_BOOT_MODE: StatusCode = StatusCode(1963635994);
    /// `STATUS_MISMATCH_IN_SECURE_OBJECTS_TYPE` (1963635995, 0x750ab51b): STATUS_MISMATCH_IN_SECURE_OBJECTS_TYPE: Secure Objects present are a mix of device individual and product-based flow.
    pub const STATUS_MISMATCH_IN_SECURE_OBJECTS_TYPE: StatusCode = StatusCode(1963635995);
    /// `STATUS_MISMATCH_IN_SECURE_OBJECTS_LCS_1` (1963635996, 0x750ab51c): STATUS_MISMATCH_IN_SECURE_OBJECTS_LCS_1: Secure Objects present don't share the same lifecycle..
    pub const STATUS_MISMATCH_IN_SECURE_OBJECTS_LCS_1: StatusCode = StatusCode(1963635996);
    /// `STATUS_MISMATCH_IN_SECURE_OBJECTS_LCS_2` (2768292614, 0xa500cb06): STATUS_MISMATCH_IN_SECURE_OBJECTS_LCS_2: Secure Objects present don't share the same lifecycle..
    pub const STATUS_MISMATCH_IN_SECURE_OBJECTS_LCS_2: StatusCode = StatusCode(2768292614);
    /// `STATUS_MAX_NUMBER_SECURE_OBJECTS` (2768292612, 0xa500cb04): STATUS_MAX_NUMBER_SECURE_OBJECTS: More than 16 of non-static Secure Objects are present..
    pub const STATUS_MAX_NUMBER_SECURE_OBJECTS: StatusCode = StatusCode(2768292612);
    /// `STATUS_ENCRYPT_EXT_BLOB_FAIL` (2768292619, 0xa500cb0b): STATUS_ENCRYPT_EXT_BLOB_FAIL: Failure in encrypting external Secure Objects's key payload.
    pub const STATUS_ENCRYPT_EXT_BLOB_FAIL: StatusCode = StatusCode(2768292619);
    /// `STATUS_UNSUPPORTED_ENC_ALG_FAIL` (2768292620, 0xa500cb0c): STATUS_UNSUPPORTED_ENC_ALG_FAIL: Unsupported Secure Object's encryption algorithm.
    pub const STATUS_UNSUPPORTED_ENC_ALG_FAIL: StatusCode = StatusCode(2768292620);
    /// `STATUS_WRITING_IN_FLASH_FAIL` (2768292621, 0xa500cb0d): STATUS_WRITING_IN_FLASH_FAIL: Writing in Flash failed.
    pub const STATUS_WRITING_IN_FLASH_FAIL: StatusCode = StatusCode(2768292621);
    /// `STATUS_CONFIG_FLASH_MEMORY_FAIL` (2768292622, 0xa500cb0e): STATUS_CONFIG_FLASH_MEMORY_FAIL: Configuration of Flash failed.
    pub const STATUS_CONFIG_FLASH_MEMORY_FAIL: StatusCode = StatusCode(2768292622);
    /// `STATUS_KEYGEN_FAIL` (2768292623, 0xa500cb0f): STATUS_KEYGEN_FAIL: Generation of key failed.
    pub const STATUS_KEYGEN_FAIL: StatusCode = StatusCode(2768292623);
    /// `STATUS_SIGN_FAIL` (2768292624, 0xa500cb10): STATUS_SIGN_FAIL: Signing of non-static Secure Object failed.
    pub const STATUS_SIGN_FAIL: StatusCode = StatusCode(2768292624);
    /// `STATUS_WRONG_EL2GO_HOST_CMD` (2768292625, 0xa500cb11): STATUS_WRONG_EL2GO_HOST_CMD: Invalid el2go-host command was used.
    pub const STATUS_WRONG_EL2GO_HOST_CMD: StatusCode = StatusCode(2768292625);
    /// `STATUS_WRITING_PROV_REPORT_IN_FLASH_FAIL` (2768292626, 0xa500cb12): STATUS_WRITING_PROV_REPORT_IN_FLASH_FAIL: Writing provisioning report to flash failed.
    pub const STATUS_WRITING_PROV_REPORT_IN_FLASH_FAIL: StatusCode = StatusCode(2768292626);
    /// `STATUS_EXTRA_BLOBS_SIZE_FAIL` (2768292627, 0xa500cb13): STATUS_EXTRA_BLOBS_SIZE_FAIL: Size of non-static Secure Objects is more than 16KB.
    pub const STATUS_EXTRA_BLOBS_SIZE_FAIL: StatusCode = StatusCode(2768292627);
    /// `STATUS_NO_DEVICE_GROUP_PROVISIONING_KEY_FAIL` (2768292628, 0xa500cb14): STATUS_NO_DEVICE_GROUP_PROVISIONING_KEY_FAIL: There is no DEVICE_GROUP_PROVISIONING_KEY Secure Object present in Flash.
    pub const STATUS_NO_DEVICE_GROUP_PROVISIONING_KEY_FAIL: StatusCode = StatusCode(2768292628);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_MAGIC_FAIL` (2768292629, 0xa500cb15): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_MAGIC_FAIL: Invalid Device Group Provisioning Key Secure Object's magic value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_MAGIC_FAIL: StatusCode = StatusCode(2768292629);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_ALG_FAIL` (2768292630, 0xa500cb16): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_ALG_FAIL: Invalid Device Group Provisioning Key Secure Object's key algorithm value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_ALG_FAIL: StatusCode = StatusCode(2768292630);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_USAGE_FAIL` (2768292631, 0xa500cb17): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_USAGE_FAIL: Invalid Device Group Provisioning Key Secure Object's key usage value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_USAGE_FAIL: StatusCode = StatusCode(2768292631);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_TYPE_FAIL` (2768292632, 0xa500cb18): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_TYPE_FAIL: Invalid Device Group Provisioning Key Secure Object's key type value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_TYPE_FAIL: StatusCode = StatusCode(2768292632);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_BITS_FAIL` (2768292633, 0xa500cb19): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_BITS_FAIL: Invalid Device Group Provisioning Key Secure Object's key bits value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_BITS_FAIL: StatusCode = StatusCode(2768292633);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_LIFETIME_FAIL` (2768292634, 0xa500cb1a): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_LIFETIME_FAIL: Invalid Device Group Provisioning Key Secure Object's key lifetime value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_LIFETIME_FAIL: StatusCode = StatusCode(2768292634);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_DEVICE_LCS_FAIL` (2768292635, 0xa500cb1b): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_DEVICE_LCS_FAIL: Invalid Device Group Provisioning Key Secure Object's device lifecycle value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_DEVICE_LCS_FAIL: StatusCode = StatusCode(2768292635);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_WRAPP_KEY_ID_FAIL` (2768292636, 0xa500cb1c): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_WRAPP_KEY_ID_FAIL: Invalid Device Group Provisioning Key Secure Object's wrapping key ID value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_WRAPP_KEY_ID_FAIL: StatusCode = StatusCode(2768292636);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_WRAPP_ALG_FAIL` (2768292637, 0xa500cb1d): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_WRAPP_ALG_FAIL: Invalid Device Group Provisioning Key Secure Object's wrapping algorithm value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_WRAPP_ALG_FAIL: StatusCode = StatusCode(2768292637);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_SIGN_KEY_ID_FAIL` (2768292638, 0xa500cb1e): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_SIGN_KEY_ID_FAIL: Invalid Device Group Provisioning Key Secure Object's signing key ID value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_SIGN_KEY_ID_FAIL: StatusCode = StatusCode(2768292638);
    /// `STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_SIGN_ALG_FAIL` (2768292639, 0xa500cb1f): STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_SIGN_ALG_FAIL: Invalid Device Group Provisioning Key Secure Object's signing algorithm value.
    pub const STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_SIGN_ALG_FAIL: StatusCode = StatusCode(2768292639);
    /// `STATUS_ENC_INT_KEY_FAIL` (2768292640, 0xa500cb20): STATUS_ENC_INT_KEY_FAIL: Failed to encrypt internal Secure Object.
    pub const STATUS_ENC_INT_KEY_FAIL: StatusCode = StatusCode(2768292640);
    /// `STATUS_ENC_EXT_KEY_FAIL` (2768292641, 0xa500cb21): STATUS_ENC_EXT_KEY_FAIL: Failed to encrypt external Secure Object.
    pub const STATUS_ENC_EXT_KEY_FAIL: StatusCode = StatusCode(2768292641);
    /// `STATUS_HASH_OP_FAIL` (2768292642, 0xa500cb22): STATUS_HASH_OP_FAIL: Failed hash operation.
    pub const STATUS_HASH_OP_FAIL: StatusCode = StatusCode(2768292642);
    /// `STATUS_SECTOR_COPY_FAIL` (2768292643, 0xa500cb23): STATUS_SECTOR_COPY_FAIL: Flash sector size is too big.
    pub const STATUS_SECTOR_COPY_FAIL: StatusCode = StatusCode(2768292643);
    /// `STATUS_NO_MORE_SECURE_OBJECTS` (2768292611, 0xa500cb03): STATUS_NO_MORE_SECURE_OBJECTS.
    pub const STATUS_NO_MORE_SECURE_OBJECTS: StatusCode = StatusCode(2768292611);
    /// `STATUS_CONTEXT_INIT_FAIL` (2768292644, 0xa500cb24): STATUS_CONTEXT_INIT_FAIL.
    pub const STATUS_CONTEXT_INIT_FAIL: StatusCode = StatusCode(2768292644);
    /// `STATUS_KEYSTORE_INIT_FAIL` (2768292645, 0xa500cb25): STATUS_KEYSTORE_INIT_FAIL.
    pub const STATUS_KEYSTORE_INIT_FAIL: StatusCode = StatusCode(2768292645);
    /// `STATUS_DER_NXP_DIE_MK_SK_FAIL` (2768292646, 0xa500cb26): STATUS_DER_NXP_DIE_MK_SK_FAIL.
    pub const STATUS_DER_NXP_DIE_MK_SK_FAIL: StatusCode = StatusCode(2768292646);
    /// `STATUS_CSS_INIT_FAIL` (2768292647, 0xa500cb27): STATUS_CSS_INIT_FAIL.
    pub const STATUS_CSS_INIT_FAIL: StatusCode = StatusCode(2768292647);
    /// `STATUS_READ_CMPA_FAIL` (2768292648, 0xa500cb28): STATUS_READ_CMPA_FAIL.
    pub const STATUS_READ_CMPA_FAIL: StatusCode = StatusCode(2768292648);
    /// `STATUS_DER_NXP_DIE_EL2GO_MK_SK_FAIL` (2768292649, 0xa500cb29): STATUS_DER_NXP_DIE_EL2GO_MK_SK_FAIL.
    pub const STATUS_DER_NXP_DIE_EL2GO_MK_SK_FAIL: StatusCode = StatusCode(2768292649);
    /// `STATUS_DER_NXP_CUST_EL2GOLOG_AUTH_PRK_SEED_FAIL` (2768292650, 0xa500cb2a): STATUS_DER_NXP_CUST_EL2GOLOG_AUTH_PRK_SEED_FAIL.
    pub const STATUS_DER_NXP_CUST_EL2GOLOG_AUTH_PRK_SEED_FAIL: StatusCode = StatusCode(2768292650);
    /// `STATUS_DER_NXP_CUST_DIE_EL2GO_MK_SK_FAIL` (2768292651, 0xa500cb2b): STATUS_DER_NXP_CUST_DIE_EL2GO_MK_SK_FAIL.
    pub const STATUS_DER_NXP_CUST_DIE_EL2GO_MK_SK_FAIL: StatusCode = StatusCode(2768292651);
    /// `STATUS_DER_NXP_CUST_DIE_EL2GOOEM_MK_SK_FAIL` (2768292652, 0xa500cb2c): STATUS_DER_NXP_CUST_DIE_EL2GOOEM_MK_SK_FAIL.
    pub const STATUS_DER_NXP_CUST_DIE_EL2GOOEM_MK_SK_FAIL: StatusCode = StatusCode(2768292652);
    /// `STATUS_DER_EL2GO_CUST_MK_SK_FAIL` (2768292653, 0xa500cb2d): STATUS_DER_EL2GO_CUST_MK_SK_FAIL.
    pub const STATUS_DER_EL2GO_CUST_MK_SK_FAIL: StatusCode = StatusCode(2768292653);
    /// `STATUS_ERASE_FLASH_FAIL` (2768292654, 0xa500cb2e): STATUS_ERASE_FLASH_FAIL.
    pub const STATUS_ERASE_FLASH_FAIL: StatusCode = StatusCode(2768292654);
    /// `STATUS_WRITE_FLASH_FAIL` (2768292655, 0xa500cb2f): STATUS_WRITE_FLASH_FAIL.
    pub const STATUS_WRITE_FLASH_FAIL: StatusCode = StatusCode(2768292655);
    /// `STATUS_SBLOADER_INIT_FAIL` (2768292656, 0xa500cb30): STATUS_SBLOADER_INIT_FAIL.
    pub const STATUS_SBLOADER_INIT_FAIL: StatusCode = StatusCode(2768292656);
    /// `STATUS_SBLOADER_UP_COMMANDSET_FAIL` (2768292657, 0xa500cb31): STATUS_SBLOADER_UP_COMMANDSET_FAIL.
    pub const STATUS_SBLOADER_UP_COMMANDSET_FAIL: StatusCode = StatusCode(2768292657);
    /// `STATUS_SBLOADER_PUMP_FAIL` (2768292658, 0xa500cb32): STATUS_SBLOADER_PUMP_FAIL.
    pub const STATUS_SBLOADER_PUMP_FAIL: StatusCode = StatusCode(2768292658);
    /// `STATUS_SBLOADER_FINALIZE_FAIL` (2768292659, 0xa500cb33): STATUS_SBLOADER_FINALIZE_FAIL.
    pub const STATUS_SBLOADER_FINALIZE_FAIL: StatusCode = StatusCode(2768292659);
    /// `STATUS_GET_UUID_FAIL` (2768292660, 0xa500cb34): STATUS_GET_UUID_FAIL.
    pub const STATUS_GET_UUID_FAIL: StatusCode = StatusCode(2768292660);
    /// `STATUS_HASH_PUB_KEY_FAIL` (2768292661, 0xa500cb35): STATUS_HASH_PUB_KEY_FAIL.
    pub const STATUS_HASH_PUB_KEY_FAIL: StatusCode = StatusCode(2768292661);
}

/// All SPSDK status codes as `(code, label, description)`, sorted by code
/// (stable: for a duplicated code the member SPSDK defines first comes first).
#[rustfmt::skip]
pub(super) static TABLE: [(u32, &str, &str); 447] = [
    (0, "Success", "Success"),
    (0, "TP_SUCCESS", "TP: SUCCESS"),
    (1, "Fail", "Fail"),
    (2, "ReadOnly", "Read Only Error"),
    (3, "OutOfRange", "Out Of Range Error"),
    (4, "InvalidArgument", "Invalid Argument Error"),
    (5, "TimeoutError", "Timeout Error"),
    (6, "NoTransferInProgress", "No Transfer In Progress Error"),
    (100, "FlashSizeError", "FLASH Driver: Size Error"),
    (101, "FlashAlignmentError", "FLASH Driver: Alignment Error"),
    (102, "FlashAddressError", "FLASH Driver: Address Error"),
    (103, "FlashAccessError", "FLASH Driver: Access Error"),
    (104, "FlashProtectionViolation", "FLASH Driver: Protection Violation"),
    (105, "FlashCommandFailure", "FLASH Driver: Command Failure"),
    (106, "FlashUnknownProperty", "FLASH Driver: Unknown Property"),
    (107, "FlashEraseKeyError", "FLASH Driver: Provided Key Does Not Match Programmed Flash Memory Key"),
    (108, "FlashRegionExecuteOnly", "FLASH Driver: Region Execute Only"),
    (109, "FlashExecuteInRamFunctionNotReady", "FLASH Driver: Execute In RAM Function Not Ready"),
    (111, "FlashCommandNotSupported", "FLASH Driver: Command Not Supported"),
    (112, "FlashReadOnlyProperty", "FLASH Driver: Flash Memory Property Is Read-Only"),
    (113, "FlashInvalidPropertyValue", "FLASH Driver: Flash Memory Property Value Out Of Range"),
    (114, "FlashInvalidSpeculationOption", "FLASH Driver: Flash Memory Prefetch Speculation Option Is Invalid"),
    (116, "FlashEccError", "FLASH Driver: ECC Error"),
    (117, "FlashCompareError", "FLASH Driver: Destination And Source Memory Contents Do Not Match"),
    (118, "FlashRegulationLoss", "FLASH Driver: Loss Of Regulation During Read"),
    (119, "FlashInvalidWaitStateCycles", "FLASH Driver: Wait State Cycle Set To Read/Write Mode Is Invalid"),
    (121, "FlashCommandAbortOption", "FLASH Driver: Operation is aborted"),
    (132, "FlashOutOfDateCfpaPage", "FLASH Driver: Out Of Date CFPA Page"),
    (133, "FlashBlankIfrPageData", "FLASH Driver: Blank IFR Page Data"),
    (134, "FlashEncryptedRegionsEraseNotDoneAtOnce", "FLASH Driver: Encrypted Regions Erase Not Done At Once"),
    (135, "FlashProgramVerificationNotAllowed", "FLASH Driver: Program Verification Not Allowed"),
    (136, "FlashHashCheckError", "FLASH Driver: Hash Check Error"),
    (137, "FlashSealedPfrRegion", "FLASH Driver: Sealed PFR Region"),
    (138, "FlashPfrRegionWriteBroken", "FLASH Driver: PFR Region Write Broken"),
    (139, "FlashNmpaUpdateNotAllowed", "FLASH Driver: NMPA Update Not Allowed"),
    (140, "FlashCmpaCfgDirectEraseNotAllowed", "FLASH Driver: CMPA Cfg Direct Erase Not Allowed"),
    (141, "FlashPfrBankIsLocked", "FLASH Driver: PFR Bank Is Locked"),
    (148, "FlashCfpaScratchPageInvalid", "FLASH Driver: CFPA Scratch Page Invalid"),
    (149, "FlashCfpaVersionRollbackDisallowed", "FLASH Driver: CFPA Version Rollback Disallowed"),
    (150, "FlashReadHidingAreaDisallowed", "FLASH Driver: Flash Memory Hiding Read Not Allowed"),
    (151, "FlashModifyProtectedAreaDisallowed", "FLASH Driver: Flash Firewall Page Locked Erase And Program Are Not Allowed"),
    (152, "FlashCommandOperationInProgress", "FLASH Driver: Flash Memory State Busy Flash Memory Command Is In Progress"),
    (153, "FlashIfr1AccessNotAllowed", "FLASH Driver: IFR1 Access Not Allowed"),
    (154, "FlashEraseVerifyFailed", "FLASH Driver: Flash Memory Erase Verify Failed"),
    (200, "I2cSlaveTxUnderrun", "I2C Driver: Slave Tx Underrun"),
    (201, "I2cSlaveRxOverrun", "I2C Driver: Slave Rx Overrun"),
    (202, "I2cArbitrationLost", "I2C Driver: Arbitration Lost"),
    (300, "SpiSlaveTxUnderrun", "SPI Driver: Slave Tx Underrun"),
    (301, "SpiSlaveRxOverrun", "SPI Driver: Slave Rx Overrun"),
    (400, "QspiFlashSizeError", "QSPI Driver: Flash Size Error"),
    (401, "QspiFlashAlignmentError", "QSPI Driver: Flash Alignment Error"),
    (402, "QspiFlashAddressError", "QSPI Driver: Flash Address Error"),
    (403, "QspiFlashCommandFailure", "QSPI Driver: Flash Command Failure"),
    (404, "QspiFlashUnknownProperty", "QSPI Driver: Flash Unknown Property"),
    (405, "QspiNotConfigured", "QSPI Driver: Not Configured"),
    (406, "QspiCommandNotSupported", "QSPI Driver: Command Not Supported"),
    (407, "QspiCommandTimeout", "QSPI Driver: Command Timeout"),
    (408, "QspiWriteFailure", "QSPI Driver: Write Failure"),
    (500, "OtfadSecurityViolation", "OTFAD Driver: Security Violation"),
    (501, "OtfadLogicallyDisabled", "OTFAD Driver: Logically Disabled"),
    (502, "OtfadInvalidKey", "OTFAD Driver: Invalid Key"),
    (503, "OtfadInvalidKeyBlob", "OTFAD Driver: Invalid Key Blob"),
    (1800, "SDMMCNotSupportYet", "SDMMC Driver: Not Supported Yet"),
    (1801, "SDMMCTransferFailed", "SDMMC Driver: Transfer Failed"),
    (1802, "SDMMCSetCardBlockSizeFailed", "SDMMC Driver: Set Card Block Size Failed"),
    (1803, "SDMMCHostNotSupport", "SDMMC Driver: Host Not Supported"),
    (1804, "SDMMCCardNotSupport", "SDMMC Driver: Card Not Supported"),
    (1805, "SDMMCAllSendCidFailed", "SDMMC Driver: All Send CID Failed"),
    (1806, "SDMMCSendRelativeAddressFailed", "SDMMC Driver: Send Relative Address Failed"),
    (1807, "SDMMCSendCsdFailed", "SDMMC Driver: Send CSD Failed"),
    (1808, "SDMMCSelectCardFailed", "SDMMC Driver: Select Card Failed"),
    (1809, "SDMMCSendScrFailed", "SDMMC Driver: Send SCR Failed"),
    (1810, "SDMMCSetDataBusWidthFailed", "SDMMC Driver: Set Data Bus Width Failed"),
    (1811, "SDMMCGoIdleFailed", "SDMMC Driver: Go Idle Failed"),
    (1812, "SDMMCHandShakeOperationConditionFailed", "SDMMC Driver: HandShake Operation Condition Failed"),
    (1813, "SDMMCSendApplicationCommandFailed", "SDMMC Driver: Send Application Command Failed"),
    (1814, "SDMMCSwitchFailed", "SDMMC Driver: Switch Command Failed"),
    (1815, "SDMMCStopTransmissionFailed", "SDMMC Driver: Stop Transmission Failed"),
    (1816, "SDMMCWaitWriteCompleteFailed", "SDMMC Driver: Wait Write Complete Failed"),
    (1817, "SDMMCSetBlockCountFailed", "SDMMC Driver: Set Block Count Failed"),
    (1818, "SDMMCSetRelativeAddressFailed", "SDMMC Driver: Set Relative Address Failed"),
    (1819, "SDMMCSwitchBusTimingFailed", "SDMMC Driver: Switch Bus Timing Failed"),
    (1820, "SDMMCSendExtendedCsdFailed", "SDMMC Driver: Send Extended CSD Failed"),
    (1821, "SDMMCConfigureBootFailed", "SDMMC Driver: Configure Boot Failed"),
    (1822, "SDMMCConfigureExtendedCsdFailed", "SDMMC Driver: Configure Extended CSD Failed"),
    (1823, "SDMMCEnableHighCapacityEraseFailed", "SDMMC Driver: Enable High Capacity Erase Failed"),
    (1824, "SDMMCSendTestPatternFailed", "SDMMC Driver: Send Test Pattern Failed"),
    (1825, "SDMMCReceiveTestPatternFailed", "SDMMC Driver: Receive Test Pattern Failed"),
    (1826, "SdmmcSdioResponseError", "SDMMC Driver: SDIO Response Error"),
    (1827, "SdmmcSdioInvalidArgument", "SDMMC Driver: SDIO Invalid Argument"),
    (1828, "SdmmcSdioSendOperationConditionFail", "SDMMC Driver: SDIO Send Operation Condition Failed"),
    (1829, "SDMMCInvalidVoltage", "SDMMC Driver: Invalid Voltage"),
    (1830, "SdmmcSdioSwitchHighSpeedFail", "SDMMC Driver: SDIO Switch High Speed Failed"),
    (1831, "SdmmcSdioReadCisFail", "SDMMC Driver: SDIO Read CIS Failed"),
    (1832, "SdmmcSdioInvalidCard", "SDMMC Driver: SDIO Invalid Card"),
    (1833, "SDMMCTuningFail", "SDMMC Driver: Tuning Failed"),
    (1834, "SDMMCSwitchVoltageFail", "SDMMC Driver: Switch Voltage Failed"),
    (1835, "SDMMCReTuningRequest", "SDMMC Driver: Re-Tuning Request"),
    (1836, "SDMMCSetDriverStrengthFail", "SDMMC Driver: Set Driver Strength Failed"),
    (1837, "SDMMCSetPowerClassFail", "SDMMC Driver: Set Power Class Failed"),
    (1838, "SDMMCHostNotReady", "SDMMC Driver: Host Controller Not Ready"),
    (1839, "SDMMCCardDetectFailed", "SDMMC Driver: Card Detect Failed"),
    (6000, "FLEXSPI_SequenceExecutionTimeout", "FLEXSPI: Sequence Execution Timeout"),
    (6001, "FLEXSPI_InvalidSequence", "FLEXSPI: Invalid Sequence"),
    (6002, "FLEXSPI_DeviceTimeout", "FLEXSPI: Device Timeout"),
    (6500, "USDHCBusyTransferring", "USDHC Driver: Busy Transferring"),
    (6501, "USdhcPrepareAdmaDescriptorFailed", "USDHC Driver: Prepare ADMA Descriptor Failed"),
    (6502, "USdhcSendCommandFailed", "USDHC Driver: Send Command Failed"),
    (6503, "USdhcTransferDataFailed", "USDHC Driver: Transfer Data Failed"),
    (6504, "USdhcDMADataAddrNotAlign", "USDHC Driver: DMA Data Address Not Aligned"),
    (6505, "USdhcReTuningRequest", "USDHC Driver: Re-Tuning Request"),
    (6506, "USdhcTuningError", "USDHC Driver: Tuning Error"),
    (7000, "FLEXSPI_SequenceExecutionTimeout", "FLEXSPI: Sequence Execution Timeout"),
    (7001, "FLEXSPI_InvalidSequence", "FLEXSPI: Invalid Sequence"),
    (7002, "FLEXSPI_DeviceTimeout", "FLEXSPI: Device Timeout"),
    (10000, "UnknownCommand", "Unknown Command"),
    (10001, "SecurityViolation", "Security Violation"),
    (10002, "AbortDataPhase", "Abort Data Phase"),
    (10003, "PingError", "Ping Error"),
    (10004, "NoResponse", "No response packet from target device"),
    (10005, "NoResponseExpected", "No Response Expected"),
    (10006, "UnsupportedCommand", "Unsupported Command"),
    (10100, "RomLdrSectionOverrun", "ROM Loader: Section Overrun"),
    (10101, "RomLdrSignature", "ROM Loader: Signature Error"),
    (10102, "RomLdrSectionLength", "ROM Loader: Section Length Error"),
    (10103, "RomLdrUnencryptedOnly", "ROM Loader: Unencrypted Only"),
    (10104, "RomLdrEOFReached", "ROM Loader: EOF Reached"),
    (10105, "RomLdrChecksum", "ROM Loader: Checksum Error"),
    (10106, "RomLdrCrc32Error", "ROM Loader: CRC32 Error"),
    (10107, "RomLdrUnknownCommand", "ROM Loader: Unknown Command"),
    (10108, "RomLdrIdNotFound", "ROM Loader: ID Not Found"),
    (10109, "RomLdrDataUnderrun", "ROM Loader: Data Underrun"),
    (10110, "RomLdrJumpReturned", "ROM Loader: Jump Returned"),
    (10111, "RomLdrCallFailed", "ROM Loader: Call Failed"),
    (10112, "RomLdrKeyNotFound", "ROM Loader: Key Not Found"),
    (10113, "RomLdrSecureOnly", "ROM Loader: Secure Only"),
    (10114, "RomLdrResetReturned", "ROM Loader: Reset Returned"),
    (10115, "RomLdrRollbackBlocked", "ROM Loader: Rollback Blocked"),
    (10116, "RomLdrInvalidSectionMacCount", "ROM Loader: Invalid Section Mac Count"),
    (10117, "RomLdrUnexpectedCommand", "ROM Loader: Unexpected Command"),
    (10118, "RomLdrBadSBKEK", "ROM Loader: Bad SBKEK Detected"),
    (10119, "RomLdrPendingJumpCommand", "ROM Loader: Pending Jump Command"),
    (10120, "RomLdrPendingResetCommand", "ROM Loader: Pending Reset Command"),
    (10200, "MemoryRangeInvalid", "Memory Range Invalid"),
    (10201, "MemoryReadFailed", "Memory Read Failed"),
    (10202, "MemoryWriteFailed", "Memory Write Failed"),
    (10203, "MemoryCumulativeWrite", "Memory Cumulative Write"),
    (10204, "MemoryAppOverlapWithExecuteOnlyRegion", "Memory App Overlap with exec region"),
    (10205, "MemoryNotConfigured", "Memory Not Configured"),
    (10206, "MemoryAlignmentError", "Memory Alignment Error"),
    (10207, "MemoryVerifyFailed", "Memory Verify Failed"),
    (10208, "MemoryWriteProtected", "Memory Write Protected"),
    (10209, "MemoryAddressError", "Memory Address Error"),
    (10210, "MemoryBlankCheckFailed", "Memory Blank Check Failed"),
    (10211, "MemoryBlankPageReadDisallowed", "Memory Blank Page Read Disallowed"),
    (10212, "MemoryProtectedPageReadDisallowed", "Memory Protected Page Read Disallowed"),
    (10213, "MemoryPfrSpecRegionWriteBroken", "Memory PFR Spec Region Write Broken"),
    (10214, "MemoryUnsupportedCommand", "Memory Unsupported Command"),
    (10300, "UnknownProperty", "Unknown Property"),
    (10301, "ReadOnlyProperty", "Read Only Property"),
    (10302, "InvalidPropertyValue", "Invalid Property Value"),
    (10400, "AppCrcCheckPassed", "Application CRC Check: Passed"),
    (10401, "AppCrcCheckFailed", "Application: CRC Check: Failed"),
    (10402, "AppCrcCheckInactive", "Application CRC Check: Inactive"),
    (10403, "AppCrcCheckInvalid", "Application CRC Check: Invalid"),
    (10404, "AppCrcCheckOutOfRange", "Application CRC Check: Out Of Range"),
    (10500, "NoPingResponse", "Packetizer Error: No Ping Response"),
    (10501, "InvalidPacketType", "Packetizer Error: No response received for ping command"),
    (10502, "InvalidCRC", "Packetizer Error: Invalid packet type"),
    (10503, "NoCommandResponse", "Packetizer Error: No response received for command"),
    (10600, "ReliableUpdateSuccess", "Reliable Update: Success"),
    (10601, "ReliableUpdateFail", "Reliable Update: Fail"),
    (10602, "ReliableUpdateInactive", "Reliable Update: Inactive"),
    (10603, "ReliableUpdateBackupApplicationInvalid", "Reliable Update: Backup Application Invalid"),
    (10604, "ReliableUpdateStillInMainApplication", "Reliable Update: Still In Main Application"),
    (10605, "ReliableUpdateSwapSystemNotReady", "Reliable Update: Swap System Not Ready"),
    (10606, "ReliableUpdateBackupBootloaderNotReady", "Reliable Update: Backup Bootloader Not Ready"),
    (10607, "ReliableUpdateSwapIndicatorAddressInvalid", "Reliable Update: Swap Indicator Address Invalid"),
    (10608, "ReliableUpdateSwapSystemNotAvailable", "Reliable Update: Swap System Not Available"),
    (10609, "ReliableUpdateSwapTest", "Reliable Update: Swap Test"),
    (10700, "SerialNorEepromAddressInvalid", "SerialNorEeprom: Address Invalid"),
    (10701, "SerialNorEepromTransferError", "SerialNorEeprom: Transfer Error"),
    (10702, "SerialNorEepromTypeInvalid", "SerialNorEeprom: Type Invalid"),
    (10703, "SerialNorEepromSizeInvalid", "SerialNorEeprom: Size Invalid"),
    (10704, "SerialNorEepromCommandInvalid", "SerialNorEeprom: Command Invalid"),
    (10801, "RomApiNeedMoreData", "RomApi: Need More Data"),
    (10802, "RomApiBufferSizeNotEnough", "RomApi: Buffer Size Not Enough"),
    (10803, "RomApiInvalidBuffer", "RomApi: Invalid Buffer"),
    (20000, "FlexSPINANDReadPageFail", "FlexSPINAND: Read Page Fail"),
    (20001, "FlexSPINANDReadCacheFail", "FlexSPINAND: Read Cache Fail"),
    (20002, "FlexSPINANDEccCheckFail", "FlexSPINAND: Ecc Check Fail"),
    (20003, "FlexSPINANDPageLoadFail", "FlexSPINAND: Page Load Fail"),
    (20004, "FlexSPINANDPageExecuteFail", "FlexSPINAND: Page Execute Fail"),
    (20005, "FlexSPINANDEraseBlockFail", "FlexSPINAND: Erase Block Fail"),
    (20006, "FlexSPINANDWaitTimeout", "FlexSPINAND: Wait Timeout"),
    (20007, "SPINANDPageSizeOverTheMaxSupportedSize", "SPI NAND: PageSize over the max supported size"),
    (20008, "FailedToUpdateFlashConfigBlockToSPINAND", "SPI NAND: Failed to update Flash config block to SPI NAND"),
    (20009, "Failed to update discovered bad block table to SPI NAND", "SPI NAND: Failed to update discovered bad block table to SPI NAND"),
    (20010, "FlexSPINANDWriteAlignmentError", "FlexSPINAND: Write Alignment Error"),
    (20011, "FlexSPINANDNotFound", "FlexSPINAND: Not Found"),
    (20100, "FLEXSPINORProgramFail", "FLEXSPINOR: Program Fail"),
    (20101, "FLEXSPINOREraseSectorFail", "FLEXSPINOR: Erase Sector Fail"),
    (20102, "FLEXSPINOREraseAllFail", "FLEXSPINOR: Erase All Fail"),
    (20103, "FLEXSPINORWaitTimeout", "FLEXSPINOR:Wait Timeout"),
    (20104, "FLEXSPINORPageSizeOverTheMaxSupportedSize", "FlexSPINOR: PageSize over the max supported size"),
    (20105, "FlexSPINORWriteAlignmentError", "FlexSPINOR:Write Alignment Error"),
    (20106, "FlexSPINORCommandFailure", "FlexSPINOR: Command Failure"),
    (20107, "FlexSPINORSFDPNotFound", "FlexSPINOR: SFDP Not Found"),
    (20108, "FLEXSPINORUnsupportedSFDPVersion", "FLEXSPINOR: Unsupported SFDP Version"),
    (20109, "FLEXSPINORFlashNotFound", "FLEXSPINOR Flash Not Found"),
    (20110, "FLEXSPINORDTRReadDummyProbeFailed", "FLEXSPINOR: DTR Read Dummy Probe Failed"),
    (20200, "OCOTPReadFailure", "OCOTP: Read Failure"),
    (20201, "OCOTPProgramFailure", "OCOTP: Program Failure"),
    (20202, "OCOTPReloadFailure", "OCOTP: Reload Failure"),
    (20203, "OCOTPWaitTimeout", "OCOTP: Wait Timeout"),
    (20905, "xSPINORWriteAlignmentError", "xSPINOR: Write Alignment Error"),
    (21100, "SemcNOR_DeviceTimeout", "SemcNOR: Device Timeout"),
    (21101, "SemcNOR_InvalidMemoryAddress", "SemcNOR: Invalid Memory Address"),
    (21102, "SemcNOR_unmatchedCommandSet", "SemcNOR: unmatched Command Set"),
    (21103, "SemcNOR_AddressAlignmentError", "SemcNOR: Address Alignment Error"),
    (21104, "SemcNOR_InvalidCfiSignature", "SemcNOR: Invalid Cfi Signature"),
    (21105, "SemcNOR_CommandErrorNoOpToSuspend", "SemcNOR: Command Error No Op To Suspend"),
    (21106, "SemcNOR_CommandErrorNoInfoAvailable", "SemcNOR: Command Error No Info Available"),
    (21107, "SemcNOR_BlockEraseCommandFailure", "SemcNOR: Block Erase Command Failure"),
    (21108, "SemcNOR_BufferProgramCommandFailure", "SemcNOR: Buffer Program Command Failure"),
    (21109, "SemcNOR_ProgramVerifyFailure", "SemcNOR: Program Verify Failure"),
    (21110, "SemcNOR_EraseVerifyFailure", "SemcNOR: Erase Verify Failure"),
    (21116, "SemcNOR_InvalidCfgTag", "SemcNOR: Invalid Cfg Tag"),
    (21200, "SemcNAND_DeviceTimeout", "SemcNAND: Device Timeout"),
    (21201, "SemcNAND_InvalidMemoryAddress", "SemcNAND: Invalid Memory Address"),
    (21202, "SemcNAND_NotEqualToOnePageSize", "SemcNAND: Not Equal To One Page Size"),
    (21203, "SemcNAND_MoreThanOnePageSize", "SemcNAND: More Than One Page Size"),
    (21204, "SemcNAND_EccCheckFail", "SemcNAND: Ecc Check Fail"),
    (21205, "SemcNAND_InvalidOnfiParameter", "SemcNAND: Invalid Onfi Parameter"),
    (21206, "SemcNAND_CannotEnableDeviceEcc", "SemcNAND: Cannot Enable Device Ecc"),
    (21207, "SemcNAND_SwitchTimingModeFailure", "SemcNAND: Switch Timing Mode Failure"),
    (21208, "SemcNAND_ProgramVerifyFailure", "SemcNAND: Program Verify Failure"),
    (21209, "SemcNAND_EraseVerifyFailure", "SemcNAND: Erase Verify Failure"),
    (21210, "SemcNAND_InvalidReadbackBuffer", "SemcNAND: Invalid Readback Buffer"),
    (21216, "SemcNAND_InvalidCfgTag", "SemcNAND: Invalid Cfg Tag"),
    (21217, "SemcNAND_FailToUpdateFcb", "SemcNAND: Fail To Update Fcb"),
    (21218, "SemcNAND_FailToUpdateDbbt", "SemcNAND: Fail To Update Dbbt"),
    (21219, "SemcNAND_DisallowOverwriteBcb", "SemcNAND: Disallow Overwrite Bcb"),
    (21220, "SemcNAND_OnlySupportOnfiDevice", "SemcNAND: Only Support Onfi Device"),
    (21221, "SemcNAND_MoreThanMaxImageCopy", "SemcNAND: More Than Max Image Copy"),
    (21222, "SemcNAND_DisorderedImageCopies", "SemcNAND: Disordered Image Copies"),
    (22000, "SPIFINOR_ProgramFail", "SPIFINOR: Program Fail"),
    (22001, "SPIFINOR_EraseSectorFail", "SPIFINOR: Erase Sector Fail"),
    (22002, "SPIFINOR_EraseAllFail", "SPIFINOR: Erase All Fail"),
    (22003, "SPIFINOR_WaitTimeout", "SPIFINOR: Wait Timeout"),
    (22004, "SPIFINOR_NotSupported", "SPIFINOR: Not Supported"),
    (22005, "SPIFINOR_WriteAlignmentError", "SPIFINOR: Write Alignment Error"),
    (22006, "SPIFINOR_CommandFailure", "SPIFINOR: Command Failure"),
    (22007, "SPIFINOR_SFDP_NotFound", "SPIFINOR: SFDP Not Found"),
    (30000, "EDGELOCK_InvalidResponse", "EDGELOCK: Invalid Response"),
    (30001, "EDGELOCK_ResponseError", "EDGELOCK: Response Error"),
    (30002, "EDGELOCK_Abort", "EDGELOCK: Abort"),
    (30003, "EDGELOCK_OperationFailed", "EDGELOCK: Operation Failed"),
    (30004, "EDGELOCK_OTPProgramFailure", "EDGELOCK: OTP Program Failure"),
    (30005, "EDGELOCK_OTPLocked", "EDGELOCK: OTP Locked"),
    (30006, "EDGELOCK_OTPInvalidIDX", "EDGELOCK: OTP Invalid IDX"),
    (30007, "EDGELOCK_InvalidLifecycle", "EDGELOCK: Invalid Lifecycle"),
    (52009, "OPT_VerifyFail", "OTP: Failed to verify OTP write"),
    (52801, "OTP_InvalidAddress", "OTP: Invalid OTP address"),
    (52802, "OTP_ProgrammingFail", "OTP: Programming failed"),
    (52803, "OTP_CRCFail", "OTP: CRC check failed"),
    (52804, "OTP_Error", "OTP: Error happened during OTP operation"),
    (52805, "OTP_EccCheckFail", "OTP: ECC check failed during OTP operation"),
    (52806, "OTP_FieldLocked", "OTP: Field is locked when programming"),
    (52807, "OTP_Timeout", "OTP: Operation timed out"),
    (52808, "OTP_CRCCheckPass", "OTP: CRC check passed"),
    (80000, "TP_GENERAL_ERROR", "TP: General error"),
    (80001, "TP_CRYPTO_ERROR", "TP: Error during cryptographic operation"),
    (80002, "TP_NULLPTR_ERROR", "TP: NULL pointer dereference or when buffer could not be allocated"),
    (80003, "TP_ALREADYINITIALIZED", "TP: Already initialized"),
    (80004, "TP_BUFFERSMALL", "TP: Buffer is too small"),
    (80005, "TP_ADDRESS_ERROR", "TP: Address out of allowed range or buffer could not be allocated"),
    (80006, "TP_CONTAINERINVALID", "TP: Container header or size is invalid"),
    (80007, "TP_CONTAINERENTRYINVALID", "TP: Container entry invalid"),
    (80008, "TP_CONTAINERENTRYNOTFOUND", "TP: Container entry not found in container"),
    (80009, "TP_INVALIDSTATEOPERATION", "TP: Attempt to process command in disallowed state"),
    (80010, "TP_COMMAND_ERROR", "TP: ISP command arguments are invalid"),
    (80011, "TP_PUF_ERROR", "TP: PUF operation error"),
    (80012, "TP_FLASH_ERROR", "TP: Flash erase/program/verify_erase failed"),
    (80013, "TP_SECRETBOX_ERROR", "TP: SBKEK or USER KEK cannot be stored in secret box"),
    (80014, "TP_PFR_ERROR", "TP: Protected Flash Region operation failed"),
    (80015, "TP_VERIFICATION_ERROR", "TP: Container signature verification failed"),
    (80016, "TP_CFPA_ERROR", "TP: CFPA page cannot be stored"),
    (80017, "TP_CMPA_ERROR", "TP: CMPA page cannot be stored or ROTKH or SECU registers are invalid"),
    (80018, "TP_ADDR_OUT_OF_RANGE", "TP: Address is out of range"),
    (80019, "TP_CONTAINER_ADDR_ERROR", "TP: Container address in write context is invalid or there is no memory for entry storage"),
    (80020, "TP_CONTAINER_ADDR_UNALIGNED", "TP: Container address in read context is unaligned"),
    (80021, "TP_CONTAINER_BUFF_SMALL", "TP: There is not enough memory to store the container"),
    (80022, "TP_CONTAINER_NO_ENTRY", "TP: Attempt to sign an empty container"),
    (80023, "TP_CERT_ADDR_ERROR", "TP: Destination address of OEM certificate is invalid"),
    (80024, "TP_CERT_ADDR_UNALIGNED", "TP: Destination address of certificate is unaligned"),
    (80025, "TP_CERT_OVERLAPPING", "TP: OEM certificates are overlapping due to wrong destination addresses"),
    (80026, "TP_PACKET_ERROR", "TP: Error during packet sending/receiving"),
    (80027, "TP_PACKET_DATA_ERROR", "TP: Data in packet handle are invalid"),
    (80028, "TP_UNKNOWN_COMMAND", "TP: Unknown command was received"),
    (80029, "TP_SB3_FILE_ERROR", "TP: Error during processing SB3 file"),
    (80101, "TP_GENERAL_CRITICAL_ERROR", "TP: Critical error"),
    (80102, "TP_CRYPTO_CRITICAL_ERROR", "TP: Error of crypto module which prevents proper functionality"),
    (80103, "TP_PUF_CRITICAL_ERROR", "TP: Initialization or start of the PUF periphery failed"),
    (80104, "TP_PFR_CRITICAL_ERROR", "TP: Initialization of PFR or reading of activation code failed"),
    (80105, "TP_PERIPHERAL_CRITICAL_ERROR", "TP: Peripheral failure"),
    (80106, "TP_PRINCE_CRITICAL_ERROR", "TP: Error during PRINCE encryption/decryption"),
    (80107, "TP_SHA_CHECK_CRITICAL_ERROR", "TP: SHA check verification failed"),
    (100001, "IAP_InvalidArgument", "IAP: Invalid argument detected during API execution"),
    (100002, "IAP_OutOfMemory", "IAP: Heap Size Not Large Enough During API Execution"),
    (100003, "IAP_ReadDisallowed ", "IAP: Read Memory Operation Disallowed During API Execution"),
    (100004, "IAP_CumulativeWrite", "IAP: Flash Memory Region To Be Programmed Is Not Empty"),
    (100005, "IAP_EraseFailure", "IAP: Erase Operation Failed"),
    (100006, "IAP_CommandNotSupported", "IAP: Specific Command Not Supported"),
    (100007, "IAP_MemoryAccessDisabled", "IAP: Memory Access Disabled"),
    (1515870810, "EL2GO_FW_PASS", "Device has been successfully provisioned."),
    (1515890085, "SecuritySubSystemError", "Security SubSystem Error"),
    (1962985728, "STATUS_DELETE_KEY_FAIL", "STATUS_DELETE_KEY_FAIL: Failure in key deletion"),
    (1962987536, "STATUS_VALID_LCS_FAIL", "STATUS_VALID_LCS_FAIL: Not valid device lifecycle"),
    (1962987537, "STATUS_BLANK_DEVICE_FUSES_1", "STATUS_BLANK_DEVICE_FUSES_1: Blank Device fuses"),
    (1962987538, "STATUS_BLANK_DEVICE_FUSES_2", "STATUS_BLANK_DEVICE_FUSES_2: Blank Device fuses"),
    (1962987539, "STATUS_KEY_DERIVATION_8_FAIL", "STATUS_KEY_DERIVATION_8_FAIL: Failure in key derivation"),
    (1962987540, "STATUS_KEY_DERIVATION_9_FAIL", "STATUS_KEY_DERIVATION_9_FAIL: Failure in key derivation"),
    (1962991872, "STATUS_KEY_USAGE_1_FAIL", "STATUS_KEY_USAGE_1_FAIL: Failure in using an EdgeLock 2GO's Secure Object key"),
    (1962992128, "STATUS_KEY_USAGE_2_FAIL", "STATUS_KEY_USAGE_2_FAIL: Failure in using an EdgeLock 2GO's Secure Object key"),
    (1962992384, "STATUS_NON_BLANK_DEVICE_FUSES_1_FAIL", "STATUS_NON_BLANK_DEVICE_FUSES_1_FAIL: Non blank Device fuses"),
    (1962992640, "STATUS_NON_BLANK_DEVICE_FUSES_2_FAIL", "STATUS_NON_BLANK_DEVICE_FUSES_2_FAIL: Non blank Device fuses"),
    (1962992896, "STATUS_WRITE_DEVICE_FUSES_1_FAIL", "STATUS_WRITE_DEVICE_FUSES_1_FAIL: Failure in programming Device fuses"),
    (1962993152, "STATUS_WRITE_DEVICE_FUSES_2_FAIL", "STATUS_WRITE_DEVICE_FUSES_2_FAIL: Failure in programming Device fuses"),
    (1962993408, "STATUS_WRITE_DEVICE_FUSES_3_FAIL", "STATUS_WRITE_DEVICE_FUSES_3_FAIL: Failure in programming Device fuses"),
    (1962993664, "STATUS_READ_DEVICE_FUSES_1_FAIL", "STATUS_READ_DEVICE_FUSES_1_FAIL: Failure in reading out Device fuses"),
    (1962993920, "STATUS_READ_DEVICE_FUSES_2_FAIL", "STATUS_READ_DEVICE_FUSES_2_FAIL: Failure in reading out Device fuses"),
    (1963635986, "STATUS_VALID_MEMORY_USE_OVERFLOW", "STATUS_VALID_MEMORY_USE_OVERFLOW: Memory overflow"),
    (1963635988, "STATUS_LOCK_DEVICE_FUSE_FAIL", "STATUS_LOCK_DEVICE_FUSE_FAIL: Failure in locking Device fuse"),
    (1963635990, "STATUS_NULL_POINTER_FAIL", "STATUS_NULL_POINTER_FAIL: Null pointer error"),
    (1963635991, "STATUS_SECURE_BOOT_NOT_EN", "STATUS_SECURE_BOOT_NOT_EN: Device Secure Boot not enabled"),
    (1963635992, "STATUS_ATTACK_DRY_RUN_EN", "STATUS_ATTACK_DRY_RUN_EN"),
    (1963635993, "STATUS_BUFFER_OVERFLOW_OTP_CONF", "STATUS_BUFFER_OVERFLOW_OTP_CONF: Buffer overflow error"),
    (1963635994, "STATUS_DEVICE_NOT_IN_FLEXSPI_BOOT_MODE", "STATUS_DEVICE_NOT_IN_FLEXSPI_BOOT_MODE: Device is booted not in FlexSPI Boot mode"),
    (1963635995, "STATUS_MISMATCH_IN_SECURE_OBJECTS_TYPE", "STATUS_MISMATCH_IN_SECURE_OBJECTS_TYPE: Secure Objects present are a mix of device individual and product-based flow"),
    (1963635996, "STATUS_MISMATCH_IN_SECURE_OBJECTS_LCS_1", "STATUS_MISMATCH_IN_SECURE_OBJECTS_LCS_1: Secure Objects present don't share the same lifecycle."),
    (2768290048, "STATUS_GET_DEVICE_SHARES_FAIL", "STATUS_GET_DEVICE_SHARES_FAIL: Failure in reading out device shares"),
    (2768290304, "STATUS_KEY_DERIVATION_1_FAIL", "STATUS_KEY_DERIVATION_1_FAIL: Failure in key derivation"),
    (2768290560, "STATUS_KEY_DERIVATION_2_FAIL", "STATUS_KEY_DERIVATION_2_FAIL: Failure in key derivation"),
    (2768290816, "STATUS_KEY_DERIVATION_3_FAIL", "STATUS_KEY_DERIVATION_3_FAIL: Failure in key derivation"),
    (2768291072, "STATUS_KEY_DERIVATION_4_FAIL", "STATUS_KEY_DERIVATION_4_FAIL: Failure in key derivation"),
    (2768291328, "STATUS_KEY_DERIVATION_5_FAIL", "STATUS_KEY_DERIVATION_5_FAIL: Failure in key derivation"),
    (2768291584, "STATUS_KEY_DERIVATION_6_FAIL", "STATUS_KEY_DERIVATION_6_FAIL: Failure in key derivation"),
    (2768291840, "STATUS_KEY_DERIVATION_10_FAIL", "STATUS_KEY_DERIVATION_10_FAIL: Failure in key derivation"),
    (2768292352, "STATUS_READ_DEVICE_SHARES_FAIL", "STATUS_READ_DEVICE_SHARES_FAIL"),
    (2768292357, "STATUS_KEY_DERIVATION_13_FAIL", "STATUS_KEY_DERIVATION_13_FAIL: Failure in key derivation"),
    (2768292358, "STATUS_KEY_DERIVATION_14_FAIL", "STATUS_KEY_DERIVATION_14_FAIL: Failure in key derivation"),
    (2768292608, "STATUS_KEY_DERIVATION_7_FAIL", "STATUS_KEY_DERIVATION_7_FAIL: Failure in key derivation"),
    (2768292609, "STATUS_KEY_DERIVATION_11_FAIL", "STATUS_KEY_DERIVATION_11_FAIL: Failure in key derivation"),
    (2768292610, "STATUS_KEY_DERIVATION_12_FAIL", "STATUS_KEY_DERIVATION_12_FAIL: Failure in key derivation"),
    (2768292611, "STATUS_NO_MORE_SECURE_OBJECTS", "STATUS_NO_MORE_SECURE_OBJECTS"),
    (2768292612, "STATUS_MAX_NUMBER_SECURE_OBJECTS", "STATUS_MAX_NUMBER_SECURE_OBJECTS: More than 16 of non-static Secure Objects are present."),
    (2768292613, "STATUS_PARSE_BLOB_2_FAIL", "STATUS_PARSE_BLOB_2_FAIL: Failure in parsing an EdgeLock 2GO's Secure Object fields"),
    (2768292614, "STATUS_MISMATCH_IN_SECURE_OBJECTS_LCS_2", "STATUS_MISMATCH_IN_SECURE_OBJECTS_LCS_2: Secure Objects present don't share the same lifecycle."),
    (2768292615, "STATUS_KEY_DERIVATION_15_FAIL", "STATUS_KEY_DERIVATION_15_FAIL: Failure in key derivation"),
    (2768292616, "STATUS_KEY_DERIVATION_16_FAIL", "STATUS_KEY_DERIVATION_16_FAIL: Failure in key derivation"),
    (2768292617, "STATUS_VERIFY_BLOB_3_FAILED", "STATUS_VERIFY_BLOB_3_FAILED: Failure in verifying an EdgeLock 2GO's Secure Object"),
    (2768292618, "STATUS_DECRYPT_EXT_BLOB_2_FAIL", "STATUS_DECRYPT_EXT_BLOB_2_FAIL: Failure in decrypting external Secure Objects's key payload"),
    (2768292619, "STATUS_ENCRYPT_EXT_BLOB_FAIL", "STATUS_ENCRYPT_EXT_BLOB_FAIL: Failure in encrypting external Secure Objects's key payload"),
    (2768292620, "STATUS_UNSUPPORTED_ENC_ALG_FAIL", "STATUS_UNSUPPORTED_ENC_ALG_FAIL: Unsupported Secure Object's encryption algorithm"),
    (2768292621, "STATUS_WRITING_IN_FLASH_FAIL", "STATUS_WRITING_IN_FLASH_FAIL: Writing in Flash failed"),
    (2768292622, "STATUS_CONFIG_FLASH_MEMORY_FAIL", "STATUS_CONFIG_FLASH_MEMORY_FAIL: Configuration of Flash failed"),
    (2768292623, "STATUS_KEYGEN_FAIL", "STATUS_KEYGEN_FAIL: Generation of key failed"),
    (2768292624, "STATUS_SIGN_FAIL", "STATUS_SIGN_FAIL: Signing of non-static Secure Object failed"),
    (2768292625, "STATUS_WRONG_EL2GO_HOST_CMD", "STATUS_WRONG_EL2GO_HOST_CMD: Invalid el2go-host command was used"),
    (2768292626, "STATUS_WRITING_PROV_REPORT_IN_FLASH_FAIL", "STATUS_WRITING_PROV_REPORT_IN_FLASH_FAIL: Writing provisioning report to flash failed"),
    (2768292627, "STATUS_EXTRA_BLOBS_SIZE_FAIL", "STATUS_EXTRA_BLOBS_SIZE_FAIL: Size of non-static Secure Objects is more than 16KB"),
    (2768292628, "STATUS_NO_DEVICE_GROUP_PROVISIONING_KEY_FAIL", "STATUS_NO_DEVICE_GROUP_PROVISIONING_KEY_FAIL: There is no DEVICE_GROUP_PROVISIONING_KEY Secure Object present in Flash"),
    (2768292629, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_MAGIC_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_MAGIC_FAIL: Invalid Device Group Provisioning Key Secure Object's magic value"),
    (2768292630, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_ALG_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_ALG_FAIL: Invalid Device Group Provisioning Key Secure Object's key algorithm value"),
    (2768292631, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_USAGE_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_USAGE_FAIL: Invalid Device Group Provisioning Key Secure Object's key usage value"),
    (2768292632, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_TYPE_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_TYPE_FAIL: Invalid Device Group Provisioning Key Secure Object's key type value"),
    (2768292633, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_BITS_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_BITS_FAIL: Invalid Device Group Provisioning Key Secure Object's key bits value"),
    (2768292634, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_LIFETIME_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_LIFETIME_FAIL: Invalid Device Group Provisioning Key Secure Object's key lifetime value"),
    (2768292635, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_DEVICE_LCS_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_DEVICE_LCS_FAIL: Invalid Device Group Provisioning Key Secure Object's device lifecycle value"),
    (2768292636, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_WRAPP_KEY_ID_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_WRAPP_KEY_ID_FAIL: Invalid Device Group Provisioning Key Secure Object's wrapping key ID value"),
    (2768292637, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_WRAPP_ALG_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_WRAPP_ALG_FAIL: Invalid Device Group Provisioning Key Secure Object's wrapping algorithm value"),
    (2768292638, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_SIGN_KEY_ID_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_SIGN_KEY_ID_FAIL: Invalid Device Group Provisioning Key Secure Object's signing key ID value"),
    (2768292639, "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_SIGN_ALG_FAIL", "STATUS_ATTR_DEVICE_GROUP_PROVISIONING_KEY_SIGN_ALG_FAIL: Invalid Device Group Provisioning Key Secure Object's signing algorithm value"),
    (2768292640, "STATUS_ENC_INT_KEY_FAIL", "STATUS_ENC_INT_KEY_FAIL: Failed to encrypt internal Secure Object"),
    (2768292641, "STATUS_ENC_EXT_KEY_FAIL", "STATUS_ENC_EXT_KEY_FAIL: Failed to encrypt external Secure Object"),
    (2768292642, "STATUS_HASH_OP_FAIL", "STATUS_HASH_OP_FAIL: Failed hash operation"),
    (2768292643, "STATUS_SECTOR_COPY_FAIL", "STATUS_SECTOR_COPY_FAIL: Flash sector size is too big"),
    (2768292644, "STATUS_CONTEXT_INIT_FAIL", "STATUS_CONTEXT_INIT_FAIL"),
    (2768292645, "STATUS_KEYSTORE_INIT_FAIL", "STATUS_KEYSTORE_INIT_FAIL"),
    (2768292646, "STATUS_DER_NXP_DIE_MK_SK_FAIL", "STATUS_DER_NXP_DIE_MK_SK_FAIL"),
    (2768292647, "STATUS_CSS_INIT_FAIL", "STATUS_CSS_INIT_FAIL"),
    (2768292648, "STATUS_READ_CMPA_FAIL", "STATUS_READ_CMPA_FAIL"),
    (2768292649, "STATUS_DER_NXP_DIE_EL2GO_MK_SK_FAIL", "STATUS_DER_NXP_DIE_EL2GO_MK_SK_FAIL"),
    (2768292650, "STATUS_DER_NXP_CUST_EL2GOLOG_AUTH_PRK_SEED_FAIL", "STATUS_DER_NXP_CUST_EL2GOLOG_AUTH_PRK_SEED_FAIL"),
    (2768292651, "STATUS_DER_NXP_CUST_DIE_EL2GO_MK_SK_FAIL", "STATUS_DER_NXP_CUST_DIE_EL2GO_MK_SK_FAIL"),
    (2768292652, "STATUS_DER_NXP_CUST_DIE_EL2GOOEM_MK_SK_FAIL", "STATUS_DER_NXP_CUST_DIE_EL2GOOEM_MK_SK_FAIL"),
    (2768292653, "STATUS_DER_EL2GO_CUST_MK_SK_FAIL", "STATUS_DER_EL2GO_CUST_MK_SK_FAIL"),
    (2768292654, "STATUS_ERASE_FLASH_FAIL", "STATUS_ERASE_FLASH_FAIL"),
    (2768292655, "STATUS_WRITE_FLASH_FAIL", "STATUS_WRITE_FLASH_FAIL"),
    (2768292656, "STATUS_SBLOADER_INIT_FAIL", "STATUS_SBLOADER_INIT_FAIL"),
    (2768292657, "STATUS_SBLOADER_UP_COMMANDSET_FAIL", "STATUS_SBLOADER_UP_COMMANDSET_FAIL"),
    (2768292658, "STATUS_SBLOADER_PUMP_FAIL", "STATUS_SBLOADER_PUMP_FAIL"),
    (2768292659, "STATUS_SBLOADER_FINALIZE_FAIL", "STATUS_SBLOADER_FINALIZE_FAIL"),
    (2768292660, "STATUS_GET_UUID_FAIL", "STATUS_GET_UUID_FAIL"),
    (2768292661, "STATUS_HASH_PUB_KEY_FAIL", "STATUS_HASH_PUB_KEY_FAIL"),
    (2768293889, "STATUS_PARSE_BLOB_1_FAIL", "STATUS_PARSE_BLOB_1_FAIL: Failure in parsing an EdgeLock 2GO's Secure Object fields"),
    (2768293890, "STATUS_VERIFY_BLOB_1_FAILED", "STATUS_VERIFY_BLOB_1_FAILED: Failure in verifying an EdgeLock 2GO's Secure Object"),
    (2768293891, "STATUS_VERIFY_BLOB_2_FAILED", "STATUS_VERIFY_BLOB_2_FAILED: Failure in verifying an EdgeLock 2GO's Secure Object"),
    (2768304811, "STATUS_ATTR_OEM_KEY_MAGIC_FAIL", "STATUS_ATTR_OEM_KEY_MAGIC_FAIL: Invalid OEM FW Decryption key Secure Object's magic value"),
    (2768304826, "STATUS_ATTR_OEM_KEY_USAGE_FAIL", "STATUS_ATTR_OEM_KEY_USAGE_FAIL: Invalid OEM FW Decryption key Secure Object's key usage value"),
    (2768305082, "STATUS_ATTR_OEM_DEVICE_LCS_FAIL", "STATUS_ATTR_OEM_DEVICE_LCS_FAIL: Invalid OEM FW Decryption key Secure Object's device lifecycle value"),
    (2768941312, "STATUS_ATTR_OEM_DEVICE_WRAPP_ALG_FAIL", "STATUS_ATTR_OEM_DEVICE_WRAPP_ALG_FAIL: Invalid OEM FW Decryption key Secure Object's wrapping algorithm value"),
    (2768941568, "STATUS_ATTR_OEM_DEVICE_SIGN_ALG_FAIL", "STATUS_ATTR_OEM_DEVICE_SIGN_ALG_FAIL: Invalid OEM FW Decryption key Secure Object's signing algorithm value"),
    (2768941824, "STATUS_ATTR_OEM_KEY_LCS_FAIL", "STATUS_ATTR_OEM_KEY_LCS_FAIL: Invalid OEM FW Decryption key Secure Object's key lifecycle value"),
    (2768942080, "STATUS_ATTR_OEM_KEY_ALG_FAIL", "STATUS_ATTR_OEM_KEY_ALG_FAIL: Invalid OEM FW Decryption key Secure Object's key algorithm value"),
    (2768942336, "STATUS_ATTR_RKTH_MAGIC_FAIL", "STATUS_ATTR_RKTH_MAGIC_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's magic value"),
    (2768942337, "STATUS_ATTR_OEM_DEVICE_WRAPP_KEY_ID_FAIL", "STATUS_ATTR_OEM_DEVICE_WRAPP_KEY_ID_FAIL: Invalid OEM FW Decryption key Secure Object's wrapping key ID value"),
    (2768942338, "STATUS_ATTR_OEM_DEVICE_SING_KEY_ID_FAIL", "STATUS_ATTR_OEM_DEVICE_SING_KEY_ID_FAIL: Invalid OEM FW Decryption key Secure Object's signing key ID value"),
    (2768942339, "STATUS_ATTR_OEM_DEVICE_KEY_TYPE_FAIL", "STATUS_ATTR_OEM_DEVICE_KEY_TYPE_FAIL: Invalid OEM FW Decryption key Secure Object's key type value"),
    (2768942340, "STATUS_ATTR_OEM_DEVICE_KEY_BITS_FAIL", "STATUS_ATTR_OEM_DEVICE_KEY_BITS_FAIL: Invalid OEM FW Decryption key Secure Object's key bits value"),
    (2768942341, "STATUS_ATTR_RKTH_KEY_TYPE_FAIL", "STATUS_ATTR_RKTH_KEY_TYPE_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's key type value"),
    (2768942342, "STATUS_ATTR_RKTH_KEY_BITS_FAIL", "STATUS_ATTR_RKTH_KEY_BITS_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's key bits value"),
    (2768942343, "STATUS_ATTR_OTP_DATA_MAGIC_FAIL", "STATUS_ATTR_OTP_DATA_MAGIC_FAIL: Invalid OTP Configuration Data Secure Object's magic value"),
    (2768942344, "STATUS_ATTR_OTP_DATA_KEY_ALG_FAIL", "STATUS_ATTR_OTP_DATA_KEY_ALG_FAIL: Invalid OTP Configuration Data Secure Object's key algorithm value"),
    (2768942345, "STATUS_ATTR_OTP_DATA_KEY_USAGE_FAIL", "STATUS_ATTR_OTP_DATA_KEY_USAGE_FAIL: Invalid OTP Configuration Data Secure Object's key usage value"),
    (2768942346, "STATUS_ATTR_OTP_DATA_KEY_TYPE_FAIL", "STATUS_ATTR_OTP_DATA_KEY_TYPE_FAIL: Invalid OTP Configuration Data Secure Object's key type value"),
    (2768942347, "STATUS_ATTR_OTP_DATA_KEY_LCS_FAIL", "STATUS_ATTR_OTP_DATA_KEY_LCS_FAIL: Invalid OTP Configuration Data Secure Object's key lifecycle value"),
    (2768942348, "STATUS_ATTR_OTP_DATA_DEVICE_LCS_FAIL", "STATUS_ATTR_OTP_DATA_DEVICE_LCS_FAIL: Invalid OTP Configuration Data Secure Object's device lifecycle value"),
    (2768942349, "STATUS_ATTR_OTP_DATA_DEVICE_WRAPP_KEY_ID_FAIL", "STATUS_ATTR_OTP_DATA_DEVICE_WRAPP_KEY_ID_FAIL: Invalid OTP Configuration Data Secure Object's wrapping key ID value"),
    (2768942350, "STATUS_ATTR_OTP_DATA_DEVICE_WRAPP_ALG_FAIL", "STATUS_ATTR_OTP_DATA_DEVICE_WRAPP_ALG_FAIL: Invalid OTP Configuration Data Secure Object's wrapping algorithm value."),
    (2768942351, "STATUS_ATTR_OTP_DATA_DEVICE_SING_KEY_ID_FAIL", "STATUS_ATTR_OTP_DATA_DEVICE_SING_KEY_ID_FAIL: Invalid OTP Configuration Data Secure Object's signing key ID value"),
    (2768942352, "STATUS_ATTR_OTP_DATA_KEY_SIGN_ALG_FAIL", "STATUS_ATTR_OTP_DATA_KEY_SIGN_ALG_FAIL: Invalid OTP Configuration Data Secure Object's signing algorithm value"),
    (2768942353, "STATUS_LESS_BLOBS_STORED", "STATUS_LESS_BLOBS_STORED: Three main Secure Object are not present in Flash memory"),
    (2768942355, "STATUS_DECRYPT_EXT_BLOB_1_FAIL", "STATUS_DECRYPT_EXT_BLOB_1_FAIL: Failure in decrypting external Secure Objects's key payload"),
    (2768942357, "STATUS_VALID_DER_LCS_FAIL", "STATUS_VALID_DER_LCS_FAIL Invalid device lifecycle"),
    (2768942359, "STATUS_INVALID_RKTH_SIZE_FAIL", "STATUS_INVALID_RKTH_SIZE_FAIL: Invalid OEM FW Authentication Key Hash size"),
    (2768942360, "STATUS_NO_BLOB_IN_ADDRESS", "STATUS_NO_BLOB_IN_ADDRESS: No Secure Object present in given Flash memory address"),
    (2768942592, "STATUS_ATTR_RKTH_KEY_ALG_FAIL", "STATUS_ATTR_RKTH_KEY_ALG_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's key algorithm value"),
    (2768942848, "STATUS_ATTR_RKTH_KEY_USAGE_FAIL", "STATUS_ATTR_RKTH_KEY_USAGE_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's key usage value"),
    (2768943104, "STATUS_ATTR_RKTH_KEY_LCS_FAIL", "STATUS_ATTR_RKTH_KEY_LCS_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's key lifecycle value"),
    (2768943360, "STATUS_ATTR_RKTH_DEVICE_LCS_FAIL", "STATUS_ATTR_RKTH_DEVICE_LCS_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's device lifecycle value"),
    (2768943616, "STATUS_ATTR_RKTH_DEVICE_WRAPP_KEY_ID_FAIL", "STATUS_ATTR_RKTH_DEVICE_WRAPP_KEY_ID_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's wrapping key ID value"),
    (2768943872, "STATUS_ATTR_RKTH_KEY_SIGN_ALG_FAIL", "STATUS_ATTR_RKTH_KEY_SIGN_ALG_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's signing algorithm value"),
    (2768944128, "STATUS_ATTR_RKTH_DEVICE_WRAPP_ALG_FAIL", "STATUS_ATTR_RKTH_DEVICE_WRAPP_ALG_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's wrapping algorithm value"),
    (2768944384, "STATUS_ATTR_RKTH_DEVICE_SING_KEY_ID_FAIL", "STATUS_ATTR_RKTH_DEVICE_SING_KEY_ID_FAIL: Invalid OEM FW Authentication Key Hash Secure Object's signing key ID value"),
    (2768944896, "STATUS_ATTR_BLOB_KEY_ID_FAIL", "STATUS_ATTR_BLOB_KEY_ID_FAIL: Invalid Secure Object's key ID value"),
];
